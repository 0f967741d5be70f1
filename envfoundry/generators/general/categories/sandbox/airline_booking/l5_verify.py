from ..helpers import _malformed
from .l5_params import IDS, LEGS, NAME
from .verify_lib import INIT, _new_active, _with_counters


def _window(db, origin, dest, day, late):
    rows = db.execute(
        "SELECT * FROM flights WHERE origin = ? AND destination = ? AND status = 'scheduled'"
        " AND substr(departure, 1, 10) = ?",
        (origin, dest, day),
    )
    return [
        f
        for f in rows
        if f["id"] in INIT
        and INIT[f["id"]][0] > 0
        and (f["departure"] >= day + "T12:00" if late else f["arrival"] <= day + "T18:00")
    ]


def _moved(db, bid, origin, dest, day, late):
    """Why booking ``bid`` is not on the cheapest flight of its new day and window, or ""."""
    b = db.execute(
        "SELECT b.*, f.origin, f.destination, f.departure, f.economy_fare FROM bookings b"
        " JOIN flights f ON f.id = b.flight_id WHERE b.id = ?",
        (bid,),
    ).fetchone()
    if b["status"] != "active" or b["cabin"] != "economy":
        return f"booking {bid} must stay an active economy booking"
    if (b["origin"], b["destination"]) != (origin, dest) or b["departure"][:10] != day:
        return f"booking {bid} must fly {origin}-{dest} on {day}"
    ok = _window(db, origin, dest, day, late)
    if b["flight_id"] not in [f["id"] for f in ok]:
        return f"booking {bid} is on a flight outside the time window"
    if b["economy_fare"] > min(f["economy_fare"] for f in ok):
        return f"booking {bid}: a cheaper flight fits the time window"
    return ""


def verify(answer, db):
    problem = _malformed(answer, booking_ids="ints")
    if problem or len(answer["booking_ids"]) != 2:
        return False, problem or "the answer must list two booking ids"
    if sorted(answer["booking_ids"]) != sorted(IDS):
        return False, "the answer must list the two bookings of the round trip"
    if _new_active(db, NAME):
        return False, "the round trip must be changed in place, not rebooked"
    for bid, leg in zip(IDS, LEGS, strict=True):
        problem = _moved(db, bid, *leg)
        if problem:
            return False, problem
    return _with_counters(db, "round trip moved by one day")
