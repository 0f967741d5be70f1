from ..helpers import _count_changes, _unexpected_change, _within
from .l5_params import BUDGET, CITY, DATES, MIN_RATING, PARTY, SIZE, TIMES
from .verify_lib import _new, _rest, _same_ids, _was_free


def _dinner(before, res):
    """Why a dinner breaks the rules, or ""; and its restaurant."""
    rest = _rest(before, res["restaurant_id"])
    if rest["city"] != CITY or not rest["vegan"] or rest["rating"] < MIN_RATING:
        return f"{rest['name']} breaks the city/vegan/rating rules", rest
    if not _was_free(before, res, rest):
        return "a reservation's table was not free for the party at that time", rest
    return "", rest


def verify(answer, db, before, changes):
    # the only writes: the party's three dinners (no booking under another name, no edits)
    mine = (
        "insert",
        "reservations",
        {"party_name": PARTY, "party_size": SIZE, "date": set(DATES), "time": set(TIMES)},
    )
    problem = _unexpected_change(changes, mine)
    if problem:
        return False, problem
    if _count_changes(changes, "insert", "reservations") != 3:
        return False, "exactly three new reservations for the party are expected"
    new = _new(db, before, PARTY)
    problem = _same_ids(answer, "reservation_ids", [r["id"] for r in new])
    if problem:
        return False, problem
    if sorted(r["date"] for r in new) != sorted(DATES):
        return False, "exactly one dinner per requested evening is required"
    cuisines, cost = set(), 0
    for res in new:
        problem, rest = _dinner(before, res)
        if problem:
            return False, problem
        cuisines.add(rest["cuisine"])
        cost += rest["price_per_person"] * SIZE
    if len(cuisines) != 3:
        return False, "the three dinners must have three different cuisines"
    return _within(cost, BUDGET, "three valid dinners")
