from ..helpers import _count_changes, _the_one, _unexpected_change
from .l3_params import OLD_ID, PARTY, SIZE
from .sitting import _around
from .verify_lib import _free, _new, _rest, _smallest, _was_free


def _placement(before, old, res):
    """Why the new reservation is not where the rules put it, or "": judged on the initial
    state with the old reservation's table freed."""
    ign = (OLD_ID,)
    home = _rest(before, old["restaurant_id"])
    for time in _around(old["time"]):
        if _free(before, home, old["date"], time, SIZE, ign):
            if res["restaurant_id"] != home["id"] or res["time"] != time:
                return "the same restaurant had a table at a time nearer the original one"
            return ""
    rest = _rest(before, res["restaurant_id"])
    rows = before.execute(
        "SELECT * FROM restaurants WHERE city = ? AND cuisine = ? AND id != ?",
        (home["city"], home["cuisine"], home["id"]),
    )
    alts = [r for r in rows if _free(before, r, old["date"], old["time"], SIZE, ign)]
    if rest["id"] not in [r["id"] for r in alts] or res["time"] != old["time"]:
        return "must move to a same-cuisine restaurant at the original time"
    if rest["rating"] < max(r["rating"] for r in alts):
        return "a better-rated same-cuisine restaurant had a table"
    return ""


def verify(answer, db, before, changes):
    old = before.execute("SELECT * FROM reservations WHERE id = ?", (OLD_ID,)).fetchone()
    # the only writes: the old reservation cancelled, one new one for the party that day
    problem = _unexpected_change(
        changes,
        ("update", "reservations", {"id": OLD_ID}, ("status",)),
        ("insert", "reservations", {"party_name": PARTY, "party_size": SIZE, "date": old["date"]}),
    )
    if problem:
        return False, problem
    now = db.execute("SELECT status FROM reservations WHERE id = ?", (OLD_ID,)).fetchone()
    if now["status"] != "cancelled":
        return False, "the original reservation was not cancelled"
    if _count_changes(changes, "insert", "reservations") != 1:
        return False, "exactly one new reservation for the party is expected"
    res = _the_one(_new(db, before, PARTY), answer, "reservation_id")
    if res is None:
        return False, "the party must hold exactly one new active reservation, the one answered"
    rest = _rest(before, res["restaurant_id"])
    if not _was_free(before, res, rest, (OLD_ID,)):
        return False, "the table was not free for the party at that time"
    problem = _placement(before, old, res)
    if not problem:
        tables = _free(before, rest, res["date"], res["time"], SIZE, (OLD_ID,))
        problem = _smallest(before, res, tables)
    return (False, problem) if problem else (True, "reservation moved correctly")
