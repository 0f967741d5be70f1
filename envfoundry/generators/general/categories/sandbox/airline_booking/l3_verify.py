from .l3_params import DATES, NAME, OLD_ID
from .verify_lib import _collateral, _earliest_of, _new_booking, _pid, _with_counters


def _qualifying(before, old, cabin):
    """The flights the passenger could be rebooked on, as they were before the episode."""
    rows = before.execute(
        "SELECT * FROM flights WHERE origin = ? AND destination = ? AND status = 'scheduled'"
        " AND departure > ?",
        (old["origin"], old["destination"], old["departure"]),
    )
    return [f for f in rows if f["departure"][:10] in DATES and f[cabin + "_seats_left"] > 0]


def verify(answer, db, before, changes):
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
    problem = _collateral(
        changes,
        _pid(db, NAME),
        [b["flight_id"]],
        cabin,
        ("update", "bookings", {"id": OLD_ID}, ["status"]),
        ("update", "flights", {"id": old["flight_id"]}, [old["cabin"] + "_seats_left"]),
    )
    if problem:
        return False, problem
    problem = _earliest_of(b, _qualifying(before, old, cabin))
    return (
        (False, problem)
        if problem
        else _with_counters(db, "rebooked on the earliest qualifying flight")
    )
