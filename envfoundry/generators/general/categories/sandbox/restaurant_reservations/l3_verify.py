from ..helpers import _the_one
from .l3_params import CITY, CUISINES, DATE, FALLBACK, MIN_RATING, PARTY, PREFERRED, SIZE
from .verify_lib import _clash, _free, _mine, _rest, _smallest


def _ok(rest):
    return (
        rest["city"] == CITY
        and rest["cuisine"] in CUISINES
        and rest["rating"] >= MIN_RATING
        and rest["vegetarian"] == 1
    )


def _best_choice(db, res, rest):
    """Why the reservation is not at the right time, best restaurant and smallest table."""
    cands = [r for r in db.execute("SELECT * FROM restaurants") if _ok(r)]
    ign = (res["id"],)
    early = [r for r in cands if _free(db, r, DATE, PREFERRED, SIZE, ign)]
    want_time = PREFERRED if early else FALLBACK
    if res["time"] != want_time:
        return f"the reservation must be at {want_time}, not {res['time']}"
    avail = [r for r in cands if _free(db, r, DATE, want_time, SIZE, ign)]
    if rest["rating"] < max(r["rating"] for r in avail):
        return "a better-rated qualifying restaurant had a free table"
    return _smallest(db, res, _free(db, rest, DATE, want_time, SIZE, ign))


def verify(answer, db):
    res = _the_one(_mine(db, PARTY), answer, "reservation_id")
    if res is None:
        return False, "the party must hold exactly one active reservation, the one answered"
    rest = _rest(db, res["restaurant_id"])
    if not _ok(rest):
        return False, f"{rest['name']} breaks the cuisine/vegetarian/rating rules"
    if res["date"] != DATE or res["party_size"] != SIZE or _clash(db, res):
        return False, "wrong date or party size, or the table is double-booked"
    problem = _best_choice(db, res, rest)
    return (False, problem) if problem else (True, "valid reservation")
