from ..helpers import _count_changes, _unexpected_change
from .l4_params import CITY, DATES, MIN_RATING, OLD_ID, PARTY, SIZE
from .verify_lib import _nights


def verify(answer, db, before, changes):
    old = before.execute("SELECT * FROM reservations WHERE id = ?", (OLD_ID,)).fetchone()
    # the only writes: the old reservation cancelled, the party's dinners at its time
    problem = _unexpected_change(
        changes,
        ("update", "reservations", {"id": OLD_ID}, ("status",)),
        (
            "insert",
            "reservations",
            {"party_name": PARTY, "party_size": SIZE, "date": set(DATES), "time": old["time"]},
        ),
    )
    if problem:
        return False, problem
    now = db.execute("SELECT status FROM reservations WHERE id = ?", (OLD_ID,)).fetchone()
    if now["status"] != "cancelled":
        return False, "the original reservation was not cancelled"
    if _count_changes(changes, "insert", "reservations") != len(DATES):
        return False, f"exactly {len(DATES)} new reservations for the party are expected"
    ign = (OLD_ID,)
    problem = _nights(db, before, answer, PARTY, CITY, MIN_RATING, DATES, old["time"], SIZE, ign)
    return (False, problem) if problem else (True, "reservation replaced by the best dinners")
