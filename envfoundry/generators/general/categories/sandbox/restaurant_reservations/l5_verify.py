from ..helpers import _the_one
from .l5_params import OLD_ID, PARTY, SIZE
from .sitting import _around
from .verify_lib import _clash, _free, _mine, _rest, _smallest


def _placement(db, old, res, ign):
    """Why the new reservation is not where the rules put it, or ""."""
    home = _rest(db, old["restaurant_id"])
    for time in _around(old["time"]):
        if _free(db, home, old["date"], time, SIZE, ign):
            if res["restaurant_id"] != home["id"] or res["time"] != time:
                return f"{home['name']} had a table at {time}; book it there"
            return ""
    rest = _rest(db, res["restaurant_id"])
    rows = db.execute(
        "SELECT * FROM restaurants WHERE city = ? AND cuisine = ? AND id != ?",
        (home["city"], home["cuisine"], home["id"]),
    )
    alts = [r for r in rows if _free(db, r, old["date"], old["time"], SIZE, ign)]
    if rest["id"] not in [r["id"] for r in alts] or res["time"] != old["time"]:
        return "must move to a same-cuisine restaurant at the original time"
    if rest["rating"] < max(r["rating"] for r in alts):
        return "a better-rated same-cuisine restaurant had a table"
    return ""


def verify(answer, db):
    old = db.execute("SELECT * FROM reservations WHERE id = ?", (OLD_ID,)).fetchone()
    if old["status"] != "cancelled":
        return False, "the original reservation was not cancelled"
    res = _the_one(_mine(db, PARTY), answer, "reservation_id")
    if res is None:
        return False, "the party must hold exactly one active reservation, the one answered"
    if res["party_size"] != SIZE or res["date"] != old["date"] or _clash(db, res):
        return False, "wrong party size or date, or the table is double-booked"
    ign = (res["id"],)
    tables = _free(db, _rest(db, res["restaurant_id"]), res["date"], res["time"], SIZE, ign)
    problem = _placement(db, old, res, ign) or _smallest(db, res, tables)
    return (False, problem) if problem else (True, "reservation moved correctly")
