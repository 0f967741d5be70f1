from .l4_params import DATES, NAME, OLD_ID
from .verify_lib import INIT, _earliest_of, _new_booking, _with_counters


def _qualifying(db, old, cabin):
    slot = 0 if cabin == "economy" else 1
    rows = db.execute(
        "SELECT * FROM flights WHERE origin = ? AND destination = ? AND status = 'scheduled'"
        " AND departure > ?",
        (old["origin"], old["destination"], old["departure"]),
    )
    return [
        f
        for f in rows
        if f["departure"][:10] in DATES and f["id"] in INIT and INIT[f["id"]][slot] > 0
    ]


def verify(answer, db):
    old = db.execute(
        "SELECT b.*, f.origin, f.destination, f.departure FROM bookings b"
        " JOIN flights f ON f.id = b.flight_id WHERE b.id = ?",
        (OLD_ID,),
    ).fetchone()
    if old["status"] != "cancelled":
        return False, "the booking on the cancelled flight must be cancelled"
    b = _new_booking(db, NAME, answer)
    if b is None:
        return False, "expected exactly one new active booking, the answered one"
    tier = db.execute("SELECT tier FROM passengers WHERE name = ?", (NAME,)).fetchone()[0]
    cabin = "business" if tier == "gold" else old["cabin"]
    if b["cabin"] != cabin:
        return False, f"a {tier} passenger is rebooked in {cabin}"
    problem = _earliest_of(b, _qualifying(db, old, cabin))
    return (
        (False, problem)
        if problem
        else _with_counters(db, "rebooked on the earliest qualifying flight")
    )
