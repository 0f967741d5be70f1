"""Attacks on the retail_orders verifiers (issue #14): the best product bought for another
customer first, a collateral order / return / cancellation on another customer, a required
write left out, a re-order that is not exactly the returned active products, writes on a
read-only level must fail; the reference, permuted unordered ids
and a wrong order cancelled before the right one must pass."""

from __future__ import annotations

import datetime

import pytest

from envfoundry.generators.general.categories.retail_orders import CATEGORY
from tests.generators.general._attacks import Episode
from tests.generators.general._write_attacks import (
    as_other,
    fails,
    initial,
    param,
    passes,
    skipping,
)

SEEDS = [(0, 0), (11, 7)]


def _collateral(ep: Episode) -> dict[str, str]:
    """One write of each write tool on another customer than the task's."""
    db = initial(ep)
    cid = db.execute("SELECT id FROM customers WHERE name = ?", (param(ep, "NAME"),)).fetchone()[0]
    other = db.execute("SELECT MIN(id) FROM customers WHERE id != ?", (cid,)).fetchone()[0]
    sku = db.execute(
        "SELECT sku FROM products WHERE status = 'active' AND stock >= 1 ORDER BY sku"
    ).fetchone()[0]
    out = {
        "place_order": (
            f"tools.place_order(customer_id={other}, items=[{{'sku': {sku!r}, 'quantity': 1}}])"
        )
    }
    today = datetime.date.fromisoformat(
        db.execute("SELECT value FROM settings WHERE key = 'today'").fetchone()[0]
    )
    for r in db.execute(
        "SELECT o.id, o.delivered_date, i.sku FROM orders o JOIN order_items i ON i.order_id = o.id"
        " WHERE o.status = 'delivered' AND o.customer_id != ? ORDER BY o.id, i.sku",
        (cid,),
    ):
        done = db.execute(
            "SELECT COUNT(*) FROM returns WHERE order_id = ? AND sku = ?", (r["id"], r["sku"])
        ).fetchone()[0]
        age = (today - datetime.date.fromisoformat(r["delivered_date"])).days
        if age <= 30 and not done:
            out["request_return"] = (
                f"tools.request_return(order_id={r['id']}, sku={r['sku']!r}, quantity=1,"
                " reason='defective')"
            )
            break
    # another customer's processing order, else one of the customer's the task leaves alone
    spared = [*(param(ep, "AFFECTED") if ep.task.difficulty == 5 else []), -1]
    row = db.execute(
        "SELECT id FROM orders WHERE status = 'processing' AND id NOT IN"
        f" ({','.join('?' * len(spared))}) ORDER BY customer_id = ?, id",
        (*spared, cid),
    ).fetchone()
    if row is not None:
        out["cancel_order"] = f"tools.cancel_order(order_id={row[0]})"
    return out


def _each_collateral(ep: Episode, tools: tuple[str, ...]) -> None:
    writes = _collateral(ep)
    assert set(tools) <= set(writes), f"no collateral write found for {set(tools) - set(writes)}"
    for name in tools:
        fails(ep, ep.around_reference(after=writes[name]), f"a collateral {name}")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_read_only_level(seed: int, index: int) -> None:
    with Episode(CATEGORY, 3, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed, ref.reason
        ids = ref.answer["order_ids"]
        _each_collateral(ep, ("place_order", "request_return"))
        assert ep.answer_only({"order_ids": list(reversed(ids))}).passed
        assert not ep.answer_only({"order_ids": ids + ids[:1]}).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
@pytest.mark.parametrize("level", [1, 2])
def test_one_order(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as ep:
        assert ep.reference().passed
        fails(
            ep, ep.around_reference(before=as_other("NAME", _other_name(ep))), "bought for another"
        )
        _each_collateral(ep, ("place_order", "request_return"))
        fails(ep, skipping(ep, "place_order", 1, {"id": 10**6}), "no order placed")


def _other_name(ep: Episode) -> str:
    db = initial(ep)
    return str(
        db.execute(
            "SELECT name FROM customers WHERE name != ? ORDER BY id", (param(ep, "NAME"),)
        ).fetchone()[0]
    )


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_returns(seed: int, index: int) -> None:
    with Episode(CATEGORY, 4, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed
        assert len(ref.answer["return_ids"]) >= 2
        _each_collateral(ep, ("place_order", "request_return"))
        fails(ep, skipping(ep, "request_return", 2, {"return_id": 10**6, "refund": 0}), "1 left")
        permuted = 'answer["return_ids"] = answer["return_ids"][::-1]'
        passes(ep, ep.around_reference(after=permuted), "the ids in another order")
        twice = 'answer["return_ids"] = answer["return_ids"] + answer["return_ids"][:1]'
        fails(ep, ep.around_reference(after=twice), "an id listed twice")
        # the re-order: left out, or not exactly the returned products still active
        fails(ep, skipping(ep, "place_order", 1, {"id": 10**6}), "nothing re-ordered")
        fails(ep, _reordering(ep, "items[:-1] or [dict(items[0], quantity=2)]"), "one left out")
        extra = "[*items, {'sku': OTHER, 'quantity': 1}]"
        fails(ep, _reordering(ep, extra), "a product not returned re-bought")
        db = initial(ep)
        gone = db.execute(
            "SELECT COUNT(*) FROM products WHERE category = ? AND status = 'discontinued'",
            (param(ep, "CATEGORY"),),
        ).fetchone()[0]
        assert gone, "no discontinued product of the category: the status filter goes untested"


# the reference with its place_order items rewritten by an expression of ``items``
REORDER = """
class _Reorder:
    def __init__(self, inner, rewrite):
        self.inner, self.rewrite = inner, rewrite

    def __getattr__(self, attr):
        fn = getattr(self.inner, attr)
        if attr != PLACE_ORDER:
            return fn
        return lambda **kw: fn(**{**kw, ITEMS: self.rewrite(kw[ITEMS])})
"""


def _reordering(ep: Episode, rewrite: str) -> str:
    db = initial(ep)
    other = db.execute(
        "SELECT sku FROM products WHERE category != ? AND status = 'active' ORDER BY sku",
        (param(ep, "CATEGORY"),),
    ).fetchone()[0]
    body = f"    tools = _Reorder(tools, lambda items: {rewrite})\n"
    src = ep.around_reference().replace("def solve(tools):\n", "def solve(tools):\n" + body, 1)
    # the environment's names of the tool and its argument (the kit's dialect)
    names = f"PLACE_ORDER = {ep.tool('place_order')!r}\nITEMS = {ep.dialect.arg('items')!r}\n"
    return f"{REORDER}\n{names}OTHER = {other!r}\n{src}"


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_cancel_and_reorder(seed: int, index: int) -> None:
    with Episode(CATEGORY, 5, seed, index) as ep:
        assert ep.reference().passed
        _each_collateral(ep, ("place_order", "request_return", "cancel_order"))
        fails(ep, skipping(ep, "cancel_order", 2, {"status": "cancelled"}), "one left processing")
        permuted = "answer['cancelled_order_ids'] = answer['cancelled_order_ids'][::-1]"
        passes(ep, ep.around_reference(after=permuted), "the ids in another order")
        undone = """
_cid = tools.find_customer(name=NAME)["id"]
_p = next(p for p in tools.search_products() if p["status"] == "active" and p["stock"] >= 1)
_wrong = tools.place_order(customer_id=_cid, items=[{"sku": _p["sku"], "quantity": 1}])
tools.cancel_order(order_id=_wrong["id"])
"""
        passes(ep, ep.around_reference(before=undone), "a wrong order cancelled first")
