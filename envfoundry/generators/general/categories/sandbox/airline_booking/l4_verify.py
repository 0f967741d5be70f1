from ..helpers import _malformed, _unexpected_change
from .l4_params import COMPANION_IDS, IDS, LEGS
from .verify_lib import _with_counters


def _window(before, origin, dest, day, late):
    """The flights of the leg's new day and time window with two free economy seats (one
    for each traveller), as they were before the episode."""
    rows = before.execute(
        "SELECT * FROM flights WHERE origin = ? AND destination = ? AND status = 'scheduled'"
        " AND substr(departure, 1, 10) = ?",
        (origin, dest, day),
    )
    return [
        f
        for f in rows
        if f["economy_seats_left"] >= 2
        and (f["departure"] >= day + "T12:00" if late else f["arrival"] <= day + "T18:00")
    ]


def _moved(db, before, bid, origin, dest, day, late):
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
    ok = _window(before, origin, dest, day, late)
    if b["flight_id"] not in [f["id"] for f in ok]:
        return f"booking {bid} is on a flight outside the time window or without two seats"
    if b["economy_fare"] > min(f["economy_fare"] for f in ok):
        return f"booking {bid}: a cheaper flight fits the time window"
    return ""


def _flights(db, before):
    """The flights the round trips' bookings were on and are on now."""
    ids = [*IDS, *COMPANION_IDS]
    return {
        r["flight_id"]
        for conn in (db, before)
        for r in conn.execute(
            f"SELECT flight_id FROM bookings WHERE id IN ({', '.join('?' * len(ids))})", ids
        )
    }


def _flight_of(db, bid):
    return db.execute("SELECT flight_id FROM bookings WHERE id = ?", (bid,)).fetchone()[0]


def verify(answer, db, before, changes):
    problem = _malformed(answer, booking_ids="ints", companion_booking_ids="ints")
    if problem:
        return False, problem
    if answer["booking_ids"] != IDS or answer["companion_booking_ids"] != COMPANION_IDS:
        return False, "each traveller's list: the outbound booking, then the return booking"
    # the four bookings change in place; only their flights' economy seats move with them
    problem = _unexpected_change(
        changes,
        (
            "update",
            "bookings",
            {"id": {*IDS, *COMPANION_IDS}},
            ["flight_id", "price_paid", "change_fee"],
        ),
        ("update", "flights", {"id": _flights(db, before)}, ["economy_seats_left"]),
    )
    if problem:
        return False, problem
    for bid, cid, leg in zip(IDS, COMPANION_IDS, LEGS, strict=True):
        problem = _moved(db, before, bid, *leg)
        if problem:
            return False, problem
        if _flight_of(db, cid) != _flight_of(db, bid):
            return False, f"booking {cid} must be on the same flight as booking {bid}"
    return _with_counters(db, "both round trips moved by one day, together")
