from ..helpers import _the_rows, _within
from .l4_params import BUDGET, CITY, DATES, MIN_RATING, PARTY, SIZE, TIMES
from .verify_lib import _clash, _mine, _rest


def _dinner(db, res):
    """Why a dinner breaks the rules, or ""; and its restaurant."""
    rest = _rest(db, res["restaurant_id"])
    if rest["city"] != CITY or not rest["vegan"] or rest["rating"] < MIN_RATING:
        return f"{rest['name']} breaks the city/vegan/rating rules", rest
    if res["time"] not in TIMES or res["party_size"] != SIZE or _clash(db, res):
        return "a reservation has a wrong time or size, or is double-booked", rest
    return "", rest


def verify(answer, db):
    mine = _mine(db, PARTY)
    if _the_rows(mine, answer, "reservation_ids", 3) is None:
        return False, "the party must hold exactly the three answered reservations"
    if sorted(r["date"] for r in mine) != DATES:
        return False, "exactly one dinner per requested evening is required"
    cuisines, cost = set(), 0
    for res in mine:
        problem, rest = _dinner(db, res)
        if problem:
            return False, problem
        cuisines.add(rest["cuisine"])
        cost += rest["price_per_person"] * SIZE
    if len(cuisines) != 3:
        return False, "the three dinners must have three different cuisines"
    return _within(cost, BUDGET, "three valid dinners")
