"""Verifier helpers: the seat counters of the task's flights match their bookings, nothing
but the passenger's own bookings and their flights' seats changed, and "cheapest / earliest"
is judged on the initial state (``before``)."""

from ..helpers import _the_one, _unexpected_change, _verdict

INIT: dict[int, list[int]] = {}
MAX_BOOKING: int = 0


def _counters_ok(db):
    for fid, (el, bl, ae, ab) in INIT.items():
        row = db.execute(
            "SELECT economy_seats_left AS e, business_seats_left AS b FROM flights WHERE id = ?",
            (fid,),
        ).fetchone()
        n = {}
        for cabin in ("economy", "business"):
            n[cabin] = db.execute(
                "SELECT COUNT(*) FROM bookings WHERE flight_id = ? AND cabin = ?"
                " AND status = 'active'",
                (fid, cabin),
            ).fetchone()[0]
        if row["e"] != el - (n["economy"] - ae) or row["b"] != bl - (n["business"] - ab):
            return False
    return True


def _with_counters(db, reason):
    """The verdict once a task's own checks passed: the seat counters must match too."""
    return _verdict("" if _counters_ok(db) else "seat counters do not match the bookings", reason)


def _new_active(db, name):
    return db.execute(
        "SELECT b.*, f.origin, f.destination, f.departure, f.arrival, f.status AS fstatus,"
        " f.economy_fare, f.business_fare FROM bookings b JOIN flights f ON f.id = b.flight_id"
        " JOIN passengers p ON p.id = b.passenger_id WHERE p.name = ? AND b.id > ?"
        " AND b.status = 'active' ORDER BY b.id",
        (name, MAX_BOOKING),
    ).fetchall()


def _new_booking(db, name, answer):
    """The passenger's one new active booking when the answer's 'booking_id' names it."""
    return _the_one(_new_active(db, name), answer, "booking_id")


def _pid(db, name):
    return db.execute("SELECT id FROM passengers WHERE name = ?", (name,)).fetchone()["id"]


def _collateral(changes, pid, flights, cabin, *extra):
    """Why ``changes`` hold more than the passenger's new active ``cabin`` bookings on
    ``flights`` and those flights' ``cabin`` seat counters (plus ``extra`` patterns), or None."""
    return _unexpected_change(
        changes,
        (
            "insert",
            "bookings",
            {"passenger_id": pid, "status": "active", "cabin": cabin, "flight_id": set(flights)},
        ),
        ("update", "flights", {"id": set(flights)}, [cabin + "_seats_left"]),
        *extra,
    )


def _route(db, origin_city, dest_city, date):
    return db.execute(
        "SELECT f.* FROM flights f JOIN airports o ON o.iata = f.origin"
        " JOIN airports d ON d.iata = f.destination WHERE o.city = ? AND d.city = ?"
        " AND substr(f.departure, 1, 10) = ? AND f.status = 'scheduled' ORDER BY f.departure",
        (origin_city, dest_city, date),
    ).fetchall()


def _earliest_of(booking, ok):
    """Why ``booking`` is not on the earliest-departing flight of ``ok``, or ``""``."""
    if booking["flight_id"] not in [f["id"] for f in ok]:
        return "the booking is not on a qualifying flight"
    if booking["departure"] > min(f["departure"] for f in ok):
        return "an earlier qualifying flight was available"
    return ""
