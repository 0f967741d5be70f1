"""Airline booking tools over the reservations database. All times are UTC (YYYY-MM-DDTHH:MM)."""

from ..helpers import _by_id, _canon, _date_arg, _dicts, _insert, _known, _named, _rows_of

CABINS = ("economy", "business")
CHANGE_FEE = 75
_BOOKINGS = (
    "SELECT b.id AS booking_id, b.cabin, b.price_paid, b.change_fee, b.status,"
    " f.id AS flight_id, f.flight_no, f.origin, f.destination, f.departure, f.arrival,"
    " f.status AS flight_status FROM bookings b JOIN flights f ON f.id = b.flight_id"
    " WHERE b.passenger_id = ? ORDER BY b.id"
)


def _airport(db, code, what):
    code = _canon(db, "airports", "iata", code, what) if isinstance(code, str) else code
    if not _known(db, "airports", "iata", code):
        raise ValueError(f"{what} must be an IATA code from list_airports, got {code!r}")
    return code


def _flight(row):
    out = dict(row)
    out["flight_id"] = out.pop("id")
    return out


def _seat(db, flight_id, cabin, delta):
    db.execute(
        f"UPDATE flights SET {cabin}_seats_left = {cabin}_seats_left + ? WHERE id = ?",
        (delta, flight_id),
    )


def _booking(db, booking_id, done):
    """An active booking; ``done`` says what it already is otherwise ('already ...')."""
    b = _by_id(db, "bookings", booking_id, "booking_id")
    if b["status"] != "active":
        raise ValueError(f"booking {booking_id} is {done}{b['status']}")
    return b


def list_airports(db):
    """Every airport served: IATA code, name, city and country."""
    return _dicts(db, "SELECT * FROM airports ORDER BY iata")


def search_flights(db, origin, destination, date):
    """Direct flights from origin to destination departing on date (UTC), earliest first."""
    origin = _airport(db, origin, "origin")
    destination = _airport(db, destination, "destination")
    rows = db.execute(
        "SELECT * FROM flights WHERE origin = ? AND destination = ? AND substr(departure, 1, 10) = ?"
        " ORDER BY departure, id",
        (origin, destination, _date_arg(date, "date")),
    )
    return [_flight(r) for r in rows]


def get_flight(db, flight_id):
    """One flight: times, status, fares and seats left per cabin."""
    return _flight(_by_id(db, "flights", flight_id, "flight_id"))


def find_passenger(db, name):
    """A passenger by full name: id, loyalty tier and miles."""
    return _named(db, "passengers", name, "passenger")


def _bookable(flight, cabin):
    if flight["status"] != "scheduled":
        raise ValueError(f"flight {flight['id']} is {flight['status']}")
    if flight[f"{cabin}_seats_left"] < 1:
        raise ValueError(f"flight {flight['id']} has no {cabin} seat left")
    return flight


def book_flight(db, passenger_id, flight_id, cabin):
    """Book one seat for a passenger on a scheduled flight in a cabin; returns the booking."""
    _by_id(db, "passengers", passenger_id, "passenger_id")
    flight = _by_id(db, "flights", flight_id, "flight_id")
    if cabin not in CABINS:
        raise ValueError(f"cabin must be one of {CABINS}, got {cabin!r}")
    _bookable(flight, cabin)
    if db.execute(
        "SELECT 1 FROM bookings WHERE passenger_id = ? AND flight_id = ? AND status = 'active'",
        (passenger_id, flight_id),
    ).fetchone():
        raise ValueError("the passenger already holds an active booking on this flight")
    price = flight[f"{cabin}_fare"]
    booking = _insert(
        db,
        "bookings",
        passenger_id=passenger_id,
        flight_id=flight_id,
        cabin=cabin,
        price_paid=price,
        change_fee=0,
        status="active",
    )
    _seat(db, flight_id, cabin, -1)
    return {
        "booking_id": booking,
        "flight_id": flight_id,
        "cabin": cabin,
        "price_paid": price,
    }


def list_bookings(db, passenger_id):
    """A passenger's bookings (active and cancelled) with their flights."""
    return _rows_of(db, _BOOKINGS, "passengers", passenger_id, "passenger_id")


def _tier(db, passenger_id):
    return _by_id(db, "passengers", passenger_id, "passenger_id")["tier"]


def cancel_booking(db, booking_id):
    """Cancel an active booking and release its seat; refund 100% if the airline cancelled
    the flight or the passenger is gold, else 80%."""
    b = _booking(db, booking_id, "already ")
    flight = _by_id(db, "flights", b["flight_id"], "flight_id")
    full = flight["status"] == "cancelled" or _tier(db, b["passenger_id"]) == "gold"
    db.execute("UPDATE bookings SET status = 'cancelled' WHERE id = ?", (booking_id,))
    _seat(db, b["flight_id"], b["cabin"], 1)
    refund = b["price_paid"] if full else round(b["price_paid"] * 0.8)
    return {"booking_id": booking_id, "status": "cancelled", "refund": refund}
