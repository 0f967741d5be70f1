from ..helpers import _count_changes, _the_one, _unexpected_change
from .l2_params import CITY, CUISINES, DATE, FALLBACK, MIN_RATING, PARTY, PREFERRED, SIZE
from .verify_lib import _free, _new, _rest, _smallest, _was_free


def _ok(rest):
    return (
        rest["city"] == CITY
        and rest["cuisine"] in CUISINES
        and rest["rating"] >= MIN_RATING
        and rest["vegetarian"] == 1
    )


def _best_choice(before, res, rest):
    """Why the reservation is not at the right time, best restaurant and smallest table,
    judged on the initial state (what was free before the episode's own booking)."""
    cands = [r for r in before.execute("SELECT * FROM restaurants") if _ok(r)]
    early = [r for r in cands if _free(before, r, DATE, PREFERRED, SIZE)]
    want_time = PREFERRED if early else FALLBACK
    if res["time"] != want_time:
        return "the reservation is not at the time the rules give (preferred, else fallback)"
    avail = [r for r in cands if _free(before, r, DATE, want_time, SIZE)]
    if rest["rating"] < max(r["rating"] for r in avail):
        return "a better-rated qualifying restaurant had a free table"
    return _smallest(before, res, _free(before, rest, DATE, want_time, SIZE))


def verify(answer, db, before, changes):
    # the one write: a reservation for the party (no booking under another name, no edits)
    mine = ("insert", "reservations", {"party_name": PARTY, "party_size": SIZE, "date": DATE})
    problem = _unexpected_change(changes, mine)
    if problem:
        return False, problem
    if _count_changes(changes, "insert", "reservations") != 1:
        return False, "exactly one new reservation for the party is expected"
    res = _the_one(_new(db, before, PARTY), answer, "reservation_id")
    if res is None:
        return False, "the party must hold exactly one new active reservation, the one answered"
    rest = _rest(before, res["restaurant_id"])
    if not _ok(rest):
        return False, f"{rest['name']} breaks the cuisine/vegetarian/rating rules"
    if not _was_free(before, res, rest):
        return False, "the table was not free for the party at that time"
    problem = _best_choice(before, res, rest)
    return (False, problem) if problem else (True, "valid reservation")
