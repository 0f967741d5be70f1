"""Attacks on the warehouse_inventory verifiers (issue #14): the cheapest source drained by
another transfer first, a collateral transfer (another sku, or the asked sku elsewhere), a
transfer left out, writes on a read-only level must fail; the reference and permuted
unordered transfer ids must pass. (There is no undo tool: a transfer moved back is a second
real transfer and fails.)"""

from __future__ import annotations

import pytest

from envfoundry.generators.general.categories.warehouse_inventory import CATEGORY
from tests.generators.general._attacks import Episode
from tests.generators.general._write_attacks import fails, param, passes, skipping

SEEDS = [(0, 0), (11, 7)]


def _transfer(sku: str, dest: str) -> str:
    """Code for one unit of ``sku`` moved over the first lane whose source holds it and whose
    destination passes ``dest`` (a predicate on the warehouse id, as source text)."""
    return f"""
_rows = {{r["warehouse_id"]: r for r in tools.get_stock(sku={sku})}}
_lane = next(
    lane
    for w in sorted(_rows)
    if ({dest})(w)
    for lane in tools.list_lanes(to_warehouse_id=w)
    if _rows[lane["from_id"]]["qty"] >= 1
)
tools.create_transfer(sku={sku}, from_warehouse_id=_lane["from_id"],
                      to_warehouse_id=_lane["to_id"], qty=1)
"""


def _other_sku(ep: Episode) -> str:
    asked = {param(ep, "SKU")} if ep.task.difficulty != 4 else set(param(ep, "SKUS"))
    return f"next(s['sku'] for s in tools.list_skus() if s['sku'] not in {asked!r})"


def _collateral(ep: Episode) -> list[tuple[str, str]]:
    out = [("another sku", _transfer(_other_sku(ep), "lambda w: True"))]
    if ep.task.difficulty in (3, 4):
        sku = repr(param(ep, "SKU") if ep.task.difficulty == 3 else param(ep, "SKUS")[0])
        dest = f"lambda w: w != _ids(tools)[{param(ep, 'DEST')!r}]"
        out.append(("the asked sku elsewhere", _transfer(sku, dest)))
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_read_only_levels(seed: int, index: int) -> None:
    with Episode(CATEGORY, 1, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed, ref.reason
        codes = ref.answer["warehouses"]
        fails(ep, ep.around_reference(after=_collateral(ep)[0][1]), "L1 with a transfer")
        assert ep.answer_only({"warehouses": list(reversed(codes))}).passed
        assert not ep.answer_only({"warehouses": codes + codes[:1]}).passed
    with Episode(CATEGORY, 2, seed, index) as ep:
        assert ep.reference().passed
        fails(ep, ep.around_reference(before=_collateral(ep)[0][1]), "L2 with a transfer")


DRAIN = """
_dest, _lane, _ = _best(tools, True, MAX_LEAD)
_src = tools.get_stock(sku=SKU, warehouse_id=_lane["from_id"])[0]
_away = next(w["id"] for w in tools.list_warehouses() if w["id"] not in (_dest, _lane["from_id"]))
tools.create_transfer(sku=SKU, from_warehouse_id=_lane["from_id"], to_warehouse_id=_away,
                      qty=_src["qty"] - _src["reorder_point"] - QTY + 1)
"""


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_single_transfer(seed: int, index: int) -> None:
    with Episode(CATEGORY, 3, seed, index) as ep:
        assert ep.reference().passed
        for what, code in _collateral(ep):
            fails(ep, ep.around_reference(after=code), f"a collateral transfer of {what}")
        fails(ep, skipping(ep, "create_transfer", 1, {"transfer_id": 10**6}), "no transfer")


# seeds where a second feasible source exists once the cheapest is drained (at (11, 7)
# only one source is feasible: draining it leaves the reference nothing to choose)
@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), [(0, 0), (2, 2)])
def test_cheapest_source_drained_for_another(seed: int, index: int) -> None:
    with Episode(CATEGORY, 3, seed, index) as ep:
        fails(ep, ep.around_reference(before=DRAIN), "the cheapest source drained first")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
@pytest.mark.parametrize("level", [4, 5])
def test_many_transfers(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed
        n = len(ref.answer["transfer_ids"])
        assert n >= 2
        for what, code in _collateral(ep):
            fails(ep, ep.around_reference(after=code), f"a collateral transfer of {what}")
        fake = {"transfer_id": 10**6, "total_cost": 0.0, "lead_days": 1}
        fails(ep, skipping(ep, "create_transfer", n, fake), "the last transfer left out")
        permuted = 'answer = {"transfer_ids": answer["transfer_ids"][::-1]}'
        passes(ep, ep.around_reference(after=permuted), "the ids in another order")
        twice = 'answer = {"transfer_ids": answer["transfer_ids"] + answer["transfer_ids"][:1]}'
        fails(ep, ep.around_reference(after=twice), "an id listed twice")
