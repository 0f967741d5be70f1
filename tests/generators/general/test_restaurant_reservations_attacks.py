"""Attacks on the restaurant_reservations verifiers (issue #14): the best table taken under
another name, collateral bookings and cancellations, a booking left out, writes on a
read-only level must fail; the reference, permuted unordered ids and a wrong booking
cancelled before the right one must pass."""

from __future__ import annotations

import pytest

from envfoundry.generators.general.categories.restaurant_reservations import CATEGORY
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

# the reference's own choice made first under another name: the target gets the next best
AS_OTHER_PARTY = as_other("PARTY", "Zed Other")

# a booking under another name: the first restaurant's first table, on a date no level uses
BOOK_OTHER = """
_r = tools.get_restaurant(restaurant_id=1)
_t = _r["tables"][0]
tools.make_reservation(restaurant_id=1, table_id=_t["table_id"], date="2030-01-01",
                       time="19:00", party_size=1, party_name="Zed Other")
"""

# cancel a background reservation of someone else
CANCEL_OTHER = """
tools.cancel_reservation(reservation_id=_victim)
"""


def _victim(ep: Episode) -> int:
    """An active background reservation that is not the task's own (OLD_ID)."""
    db = initial(ep)
    rows = db.execute(
        "SELECT id FROM reservations WHERE status = 'active' AND id != ?", (param(ep, "OLD_ID"),)
    )
    return int(rows.fetchone()[0])


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_read_only_levels(seed: int, index: int) -> None:
    with Episode(CATEGORY, 1, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed, ref.reason
        ids = ref.answer["restaurant_ids"]
        fails(ep, ep.around_reference(after=BOOK_OTHER), "L1 with a booking")
        assert ep.answer_only({"restaurant_ids": list(reversed(ids))}).passed
        assert not ep.answer_only({"restaurant_ids": ids + ids[:1]}).passed
        assert not ep.answer_only({"restaurant_ids": ids[1:]}).passed
    with Episode(CATEGORY, 4, seed, index) as ep:
        assert ep.reference().passed
        fails(ep, ep.around_reference(before=BOOK_OTHER), "L4 with a booking")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_single_booking(seed: int, index: int) -> None:
    with Episode(CATEGORY, 2, seed, index) as ep:
        assert ep.reference().passed
        fails(ep, ep.around_reference(before=AS_OTHER_PARTY), "the best table taken for another")
        fails(ep, ep.around_reference(after=BOOK_OTHER), "a collateral booking")
        fails(ep, skipping(ep, "make_reservation", 1, {"reservation_id": 10**6}), "no booking")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_three_dinners(seed: int, index: int) -> None:
    with Episode(CATEGORY, 5, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed
        fails(ep, ep.around_reference(before=AS_OTHER_PARTY), "the cheapest plan taken for another")
        fails(ep, ep.around_reference(after=BOOK_OTHER), "a collateral booking")
        fails(ep, skipping(ep, "make_reservation", 3, {"reservation_id": 10**6}), "2 of 3")
        permuted = 'answer = {"reservation_ids": answer["reservation_ids"][::-1]}'
        passes(ep, ep.around_reference(after=permuted), "the ids in another order")
        twice = 'answer = {"reservation_ids": answer["reservation_ids"][:2] * 2}'
        fails(ep, ep.around_reference(after=twice), "an id listed twice")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_move_reservation(seed: int, index: int) -> None:
    with Episode(CATEGORY, 3, seed, index) as ep:
        assert ep.reference().passed
        fails(ep, ep.around_reference(after=BOOK_OTHER), "a collateral booking")
        victim = f"_victim = {_victim(ep)}\n"
        fails(ep, ep.around_reference(after=victim + CANCEL_OTHER), "a collateral cancellation")
        fails(ep, skipping(ep, "cancel_reservation", 1, {"status": "cancelled"}), "no cancel")
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
        passes(ep, ep.around_reference(before=undone), "a wrong booking cancelled first")


# the slot the rules give the party, taken under another name first: the reference then
# moves the party to the next option. Seeds where a next option exists (elsewhere the
# world holds exactly one, and the reference has nothing left to book).
TAKEN = """
_old = tools.find_reservations(party_name=PARTY)[0]
_home = tools.get_restaurant(restaurant_id=_old["restaurant_id"])
_hits = [(_home, _fits(tools, _home, _old["date"], _t, SIZE), _t) for _t in _around(_old["time"])]
_rest, _free, _time = next((h for h in _hits if h[1]), None) or _alternative(tools, _home, _old)
for _t in _free:
    _reserve(tools, _rest, _t["table_id"], _old["date"], _time, SIZE, "Zed Other")
"""


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), [(2, 2), (7, 2)])
def test_move_after_the_slot_was_taken_for_another(seed: int, index: int) -> None:
    with Episode(CATEGORY, 3, seed, index) as ep:
        fails(ep, ep.around_reference(before=TAKEN), "the nearest slot taken for another")
