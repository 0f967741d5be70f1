"""Attacks on the restaurant_reservations verifiers (issue #14): the best table taken under
another name, collateral bookings and cancellations, a booking left out, writes on a
read-only level must fail; the reference, permuted unordered ids and a wrong booking
cancelled before the right one must pass."""

from __future__ import annotations

import re
import sqlite3

import pytest

from envfoundry.generators.general.categories.restaurant_reservations import CATEGORY
from tests.generators.general._attacks import Episode

SEEDS = [(0, 0), (11, 7)]

# a booking under another name: the first restaurant's first table, on a date no level uses
BOOK_OTHER = """
_r = tools.get_restaurant(restaurant_id=1)
_t = _r["tables"][0]
tools.make_reservation(restaurant_id=1, table_id=_t["table_id"], date="2030-01-01",
                       time="19:00", party_size=1, party_name="Zed Other")
"""

# the reference's own choice made first under another name: the target gets the next best
AS_OTHER = """
_party = PARTY
globals()["PARTY"] = "Zed Other"
_reference_solve(tools)
globals()["PARTY"] = _party
"""

# cancel a background reservation of someone else
CANCEL_OTHER = """
tools.cancel_reservation(reservation_id=_victim)
"""

# skip the n-th call of a write tool, pretending it happened (a write left out)
SKIP = """
class _Skip:
    def __init__(self, inner, name, nth, fake):
        self.inner, self.name, self.nth, self.fake, self.k = inner, name, nth, fake, 0

    def __getattr__(self, attr):
        fn = getattr(self.inner, attr)
        if attr != self.name:
            return fn

        def call(**kw):
            self.k += 1
            return self.fake if self.k == self.nth else fn(**kw)

        return call
"""


def _skipping(ep: Episode, name: str, nth: int, fake: object) -> str:
    src = ep.around_reference()
    body = f"    tools = _Skip(tools, {name!r}, {nth}, {fake!r})\n"
    return SKIP + "\n" + src.replace("def solve(tools):\n", "def solve(tools):\n" + body, 1)


def _fails(ep: Episode, source: str, why: str) -> None:
    v = ep.run(source)
    assert not v.passed, f"{why} was accepted: {v.reason}"


def _passes(ep: Episode, source: str, why: str) -> None:
    v = ep.run(source)
    assert v.passed, f"{why} was rejected: {v.reason} {v.error}"


def _victim(ep: Episode) -> int:
    """An active background reservation that is not the task's own (OLD_ID)."""
    old_id = int(re.search(r"^OLD_ID: int = (\d+)$", ep.task.verifier.source or "", re.M)[1])
    db = sqlite3.connect(":memory:")
    db.deserialize(ep.db)
    rows = db.execute("SELECT id FROM reservations WHERE status = 'active' AND id != ?", (old_id,))
    return int(rows.fetchone()[0])


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_read_only_levels(seed: int, index: int) -> None:
    with Episode(CATEGORY, 1, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed, ref.reason
        ids = ref.answer["restaurant_ids"]
        _fails(ep, ep.around_reference(after=BOOK_OTHER), "L1 with a booking")
        assert ep.answer_only({"restaurant_ids": list(reversed(ids))}).passed
        assert not ep.answer_only({"restaurant_ids": ids + ids[:1]}).passed
        assert not ep.answer_only({"restaurant_ids": ids[1:]}).passed
    with Episode(CATEGORY, 2, seed, index) as ep:
        assert ep.reference().passed
        _fails(ep, ep.around_reference(before=BOOK_OTHER), "L2 with a booking")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_single_booking(seed: int, index: int) -> None:
    with Episode(CATEGORY, 3, seed, index) as ep:
        assert ep.reference().passed
        _fails(ep, ep.around_reference(before=AS_OTHER), "the best table taken for another")
        _fails(ep, ep.around_reference(after=BOOK_OTHER), "a collateral booking")
        _fails(ep, _skipping(ep, "make_reservation", 1, {"reservation_id": 10**6}), "no booking")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_three_dinners(seed: int, index: int) -> None:
    with Episode(CATEGORY, 4, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed
        _fails(ep, ep.around_reference(before=AS_OTHER), "the cheapest plan taken for another")
        _fails(ep, ep.around_reference(after=BOOK_OTHER), "a collateral booking")
        _fails(ep, _skipping(ep, "make_reservation", 3, {"reservation_id": 10**6}), "2 of 3")
        permuted = 'answer = {"reservation_ids": answer["reservation_ids"][::-1]}'
        _passes(ep, ep.around_reference(after=permuted), "the ids in another order")
        twice = 'answer = {"reservation_ids": answer["reservation_ids"][:2] * 2}'
        _fails(ep, ep.around_reference(after=twice), "an id listed twice")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_move_reservation(seed: int, index: int) -> None:
    with Episode(CATEGORY, 5, seed, index) as ep:
        assert ep.reference().passed
        taken = """
_old = tools.find_reservations(party_name=PARTY)[0]
_home = tools.get_restaurant(restaurant_id=_old["restaurant_id"])
_hits = [(_home, _fits(tools, _home, _old["date"], _t, SIZE), _t) for _t in _around(_old["time"])]
_rest, _free, _time = next((h for h in _hits if h[1]), None) or _alternative(tools, _home, _old)
for _t in _free:
    _reserve(tools, _rest, _t["table_id"], _old["date"], _time, SIZE, "Zed Other")
"""
        _fails(ep, ep.around_reference(before=taken), "the nearest slot taken for another")
        _fails(ep, ep.around_reference(after=BOOK_OTHER), "a collateral booking")
        victim = f"_victim = {_victim(ep)}\n"
        _fails(ep, ep.around_reference(after=victim + CANCEL_OTHER), "a collateral cancellation")
        _fails(ep, _skipping(ep, "cancel_reservation", 1, {"status": "cancelled"}), "no cancel")
        undone = """
_old = tools.find_reservations(party_name=PARTY)[0]
_home = tools.get_restaurant(restaurant_id=_old["restaurant_id"])
_wrong = _home["tables"][0]
_bad = tools.make_reservation(restaurant_id=_home["id"], table_id=_wrong["table_id"],
                              date="2030-01-01", time="19:00", party_size=SIZE,
                              party_name=PARTY) if _wrong["seats"] >= SIZE else None
if _bad is None:
    _big = max(_home["tables"], key=lambda t: t["seats"])
    _bad = tools.make_reservation(restaurant_id=_home["id"], table_id=_big["table_id"],
                                  date="2030-01-01", time="19:00", party_size=1,
                                  party_name=PARTY)
tools.cancel_reservation(reservation_id=_bad["reservation_id"])
"""
        _passes(ep, ep.around_reference(before=undone), "a wrong booking cancelled first")
