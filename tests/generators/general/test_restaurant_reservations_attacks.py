"""Attacks on the restaurant_reservations verifiers (issue #14): the best table taken under
another name, collateral bookings and cancellations, an evening left out, an extra booking,
writes on a read-only level, a list with a restaurant missing or one too many must fail; the
reference, permuted unordered ids and a wrong booking cancelled before the right one must
pass.

The first city's ladder: L1 lists the vegan restaurants rated at least a minimum, L2 those of
them with a free table for a party, L3 books the best of those on two evenings, L4 does so on
three evenings in place of a reservation the party holds (cancelled); L5 plans three dinners
of three cuisines within a budget in the second city."""

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

# one more dinner for the party on the first evening, at the first qualifying place free then
EXTRA_DINNER = """
for _r in _vegan_rated(tools, CITY, MIN_RATING):
    _f = _fits(tools, _r, DATES[0], _time, SIZE)
    if _f:
        _reserve(tools, _r, _f[0]["table_id"], DATES[0], _time, SIZE, PARTY)
        break
"""


def _victim(ep: Episode) -> int:
    """An active background reservation that is not the task's own (OLD_ID)."""
    db = initial(ep)
    rows = db.execute(
        "SELECT id FROM reservations WHERE status = 'active' AND id != ?", (param(ep, "OLD_ID"),)
    )
    return int(rows.fetchone()[0])


def _vegan(ep: Episode) -> list[int]:
    """The ids of the level's qualifying restaurants (vegan, in the city, rated enough)."""
    rows = initial(ep).execute(
        "SELECT id FROM restaurants WHERE city = ? AND rating >= ? AND vegan = 1",
        (param(ep, "CITY"), param(ep, "MIN_RATING")),
    )
    return sorted(int(r[0]) for r in rows)


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
    with Episode(CATEGORY, 2, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed, ref.reason
        ids = ref.answer["restaurant_ids"]
        fails(ep, ep.around_reference(before=BOOK_OTHER), "L2 with a booking")
        assert ep.answer_only({"restaurant_ids": list(reversed(ids))}).passed
        assert not ep.answer_only({"restaurant_ids": ids[1:]}).passed  # one left out
        # level 1's answer: a fully booked vegan place is one too many
        vegan = _vegan(ep)
        assert set(ids) < set(vegan)
        assert not ep.answer_only({"restaurant_ids": vegan}).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_two_dinners(seed: int, index: int) -> None:
    with Episode(CATEGORY, 3, seed, index) as ep:
        assert ep.reference().passed
        fails(ep, ep.around_reference(before=AS_OTHER_PARTY), "the best tables taken for another")
        fails(ep, ep.around_reference(after=BOOK_OTHER), "a collateral booking")
        fails(ep, skipping(ep, "make_reservation", 1, {"reservation_id": 10**6}), "1 of 2")
        extra = "_time = TIME\n" + EXTRA_DINNER
        fails(ep, ep.around_reference(after=extra), "a second dinner on one evening")
        permuted = 'answer = {"reservation_ids": answer["reservation_ids"][::-1]}'
        passes(ep, ep.around_reference(after=permuted), "the ids in another order")
        twice = 'answer = {"reservation_ids": answer["reservation_ids"][:1] * 2}'
        fails(ep, ep.around_reference(after=twice), "an id listed twice")


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


# the best table of the first evening taken under another name first: the reference then
# books the next best (and the other name's booking is a collateral write)
TAKEN = """
_old = tools.find_reservations(party_name=PARTY)[0]
_best = _best_free(tools, _vegan_rated(tools, CITY, MIN_RATING), DATES[0], _old["time"], SIZE)
_rest, _free = _best
for _t in _free:
    _reserve(tools, _rest, _t["table_id"], DATES[0], _old["time"], SIZE, "Zed Other")
"""


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
def test_replace_reservation(seed: int, index: int) -> None:
    with Episode(CATEGORY, 4, seed, index) as ep:
        assert ep.reference().passed
        fails(ep, ep.around_reference(after=BOOK_OTHER), "a collateral booking")
        victim = f"_victim = {_victim(ep)}\n"
        fails(ep, ep.around_reference(after=victim + CANCEL_OTHER), "a collateral cancellation")
        fails(ep, skipping(ep, "cancel_reservation", 1, {"status": "cancelled"}), "no cancel")
        fails(ep, skipping(ep, "make_reservation", 2, {"reservation_id": 10**6}), "2 of 3")
        fails(ep, ep.around_reference(before=TAKEN), "the best table taken for another")
        extra = '_time = tools.find_reservations(party_name=PARTY)[0]["time"]\n' + EXTRA_DINNER
        fails(ep, ep.around_reference(after=extra), "a second dinner on one evening")
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
