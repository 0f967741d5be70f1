
"""Airline booking tools over the reservations database. All times are UTC (YYYY-MM-DDTHH:MM)."""

import re

CABINS = ("economy", "business")
CHANGE_FEE = 75


def _int(value, what):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be an integer")
    return value


def _airport(db, code, what):
    if not isinstance(code, str) or db.execute(
            "SELECT 1 FROM airports WHERE iata = ?", (code,)).fetchone() is None:
        raise ValueError(f"{what} must be an IATA code from list_airports, got {code!r}")
    return code


def _cabin(cabin):
    if cabin not in CABINS:
        raise ValueError(f"cabin must be one of {CABINS}, got {cabin!r}")
    return cabin


def _flight_row(db, flight_id):
    row = db.execute("SELECT * FROM flights WHERE id = ?", (_int(flight_id, "flight_id"),)).fetchone()
    if row is None:
        raise ValueError(f"no flight with id {flight_id}")
    return row


def _flight(row):
    out = dict(row)
    out["flight_id"] = out.pop("id")
    return out


def _passenger(db, passenger_id):
    row = db.execute("SELECT * FROM passengers WHERE id = ?",
                     (_int(passenger_id, "passenger_id"),)).fetchone()
    if row is None:
        raise ValueError(f"no passenger with id {passenger_id}")
    return row


def _booking(db, booking_id):
    row = db.execute("SELECT * FROM bookings WHERE id = ?", (_int(booking_id, "booking_id"),)).fetchone()
    if row is None:
        raise ValueError(f"no booking with id {booking_id}")
    return row


def _seat(db, flight_id, cabin, delta):
    db.execute(f"UPDATE flights SET {cabin}_seats_left = {cabin}_seats_left + ? WHERE id = ?",
               (delta, flight_id))


def list_airports(db):
    """Every airport served: IATA code, name, city and country."""
    return [dict(r) for r in db.execute("SELECT * FROM airports ORDER BY iata")]


def search_flights(db, origin, destination, date):
    """Direct flights from origin to destination departing on date (UTC), earliest first."""
    _airport(db, origin, "origin")
    _airport(db, destination, "destination")
    if not isinstance(date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ValueError(f"date must be YYYY-MM-DD, got {date!r}")
    rows = db.execute(
        "SELECT * FROM flights WHERE origin = ? AND destination = ? AND substr(departure, 1, 10) = ?"
        " ORDER BY departure, id", (origin, destination, date))
    return [_flight(r) for r in rows]


def get_flight(db, flight_id):
    """One flight: times, status, fares and seats left per cabin."""
    return _flight(_flight_row(db, flight_id))


def find_passenger(db, name):
    """A passenger by full name: id, loyalty tier and miles."""
    row = db.execute("SELECT * FROM passengers WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no passenger named {name!r}")
    return dict(row)


def list_bookings(db, passenger_id):
    """A passenger's bookings (active and cancelled) with their flights."""
    _passenger(db, passenger_id)
    rows = db.execute(
        "SELECT b.id AS booking_id, b.cabin, b.price_paid, b.change_fee, b.status,"
        " f.id AS flight_id, f.flight_no, f.origin, f.destination, f.departure, f.arrival,"
        " f.status AS flight_status FROM bookings b JOIN flights f ON f.id = b.flight_id"
        " WHERE b.passenger_id = ? ORDER BY b.id", (passenger_id,))
    return [dict(r) for r in rows]


def book_flight(db, passenger_id, flight_id, cabin):
    """Book one seat for a passenger on a scheduled flight in a cabin; returns the booking."""
    _passenger(db, passenger_id)
    flight = _flight_row(db, flight_id)
    _cabin(cabin)
    if flight["status"] != "scheduled":
        raise ValueError(f"flight {flight_id} is {flight['status']}")
    if flight[f"{cabin}_seats_left"] < 1:
        raise ValueError(f"flight {flight_id} has no {cabin} seat left")
    if db.execute("SELECT 1 FROM bookings WHERE passenger_id = ? AND flight_id = ? AND status = 'active'",
                  (passenger_id, flight_id)).fetchone():
        raise ValueError("the passenger already holds an active booking on this flight")
    price = flight[f"{cabin}_fare"]
    cur = db.execute(
        "INSERT INTO bookings (passenger_id, flight_id, cabin, price_paid, change_fee, status)"
        " VALUES (?, ?, ?, ?, 0, 'active')", (passenger_id, flight_id, cabin, price))
    _seat(db, flight_id, cabin, -1)
    return {"booking_id": cur.lastrowid, "flight_id": flight_id, "cabin": cabin, "price_paid": price}


def cancel_booking(db, booking_id):
    """Cancel an active booking and release its seat; refund 100% if the airline cancelled
    the flight or the passenger is gold, else 80%."""
    b = _booking(db, booking_id)
    if b["status"] != "active":
        raise ValueError(f"booking {booking_id} is already {b['status']}")
    flight = _flight_row(db, b["flight_id"])
    tier = _passenger(db, b["passenger_id"])["tier"]
    full = flight["status"] == "cancelled" or tier == "gold"
    db.execute("UPDATE bookings SET status = 'cancelled' WHERE id = ?", (booking_id,))
    _seat(db, b["flight_id"], b["cabin"], 1)
    refund = b["price_paid"] if full else round(b["price_paid"] * 0.8)
    return {"booking_id": booking_id, "status": "cancelled", "refund": refund}
