"""Car rental tools. A rental runs from start_date (pick-up) to end_date (return), charged per
day; drivers under 25 pay a 25/day young-driver fee and may not rent premium or luxury cars."""

import datetime

from ..helpers import (
    _active_row,
    _by_id,
    _canon,
    _dicts,
    _insert,
    _int_arg,
    _named,
    _rows_of,
    _today,
)

YOUNG_FEE = 25
RESTRICTED = ("premium", "luxury")
_RESERVATIONS = (
    "SELECT r.*, c.car_class, c.make, c.model, c.branch_id, b.city FROM reservations r"
    " JOIN cars c ON c.id = r.car_id JOIN branches b ON b.id = c.branch_id"
    " WHERE r.customer_id = ? ORDER BY r.id"
)


def _days(db, start_date, end_date):
    try:
        s = datetime.date.fromisoformat(start_date)
        e = datetime.date.fromisoformat(end_date)
    except (TypeError, ValueError):
        raise ValueError("dates must be YYYY-MM-DD") from None
    today = _today(db)
    if s < datetime.date.fromisoformat(today):
        raise ValueError(f"start_date must not be before today ({today})")
    if not 1 <= (e - s).days <= 30:
        raise ValueError("a rental lasts 1 to 30 days (end_date after start_date)")
    return (e - s).days


def _busy(db, car_id, start_date, end_date, ignore=0):
    return db.execute(
        "SELECT 1 FROM reservations WHERE car_id = ? AND status = 'active' AND id != ?"
        " AND start_date < ? AND ? < end_date",
        (car_id, ignore, end_date, start_date),
    ).fetchone()


def _price(car, customer, days):
    fee = YOUNG_FEE if customer["age"] < 25 else 0
    return days * (car["daily_rate"] + fee)


def list_branches(db, city=None):
    """Rental branches (id, name, city, kind 'airport' or 'downtown'), optionally in one city."""
    if city is None:
        return _dicts(db, "SELECT * FROM branches ORDER BY id")
    city = _canon(db, "branches", "city", city, "city")
    return _dicts(db, "SELECT * FROM branches WHERE city = ? ORDER BY id", (city,))


def search_available_cars(db, branch_id, start_date, end_date, car_class=None, min_seats=None):
    """Cars of a branch free for the whole rental, optionally of one class / with enough seats."""
    _by_id(db, "branches", branch_id, "branch_id")
    _days(db, start_date, end_date)
    out = []
    for car in db.execute("SELECT * FROM cars WHERE branch_id = ? ORDER BY id", (branch_id,)):
        if car_class is not None and car["car_class"] != car_class:
            continue
        if min_seats is not None and car["seats"] < _int_arg(min_seats, "min_seats"):
            continue
        if not _busy(db, car["id"], start_date, end_date):
            out.append(dict(car))
    return out


def get_car(db, car_id):
    """One car: branch, make, model, class, seats, transmission, fuel, daily_rate."""
    return dict(_by_id(db, "cars", car_id, "car_id"))


def find_customer(db, name):
    """A customer by full name: id, age and years of driving licence."""
    return _named(db, "customers", name, "customer")


def create_reservation(db, customer_id, car_id, start_date, end_date):
    """Reserve a car for a customer; returns the reservation with its total price."""
    customer = _by_id(db, "customers", customer_id, "customer_id")
    car = _by_id(db, "cars", car_id, "car_id")
    days = _days(db, start_date, end_date)
    if customer["age"] < 25 and car["car_class"] in RESTRICTED:
        raise ValueError("drivers under 25 may not rent premium or luxury cars")
    if _busy(db, car_id, start_date, end_date):
        raise ValueError(f"car {car_id} is already reserved in that period")
    new = _insert(
        db,
        "reservations",
        car_id=car_id,
        customer_id=customer_id,
        start_date=start_date,
        end_date=end_date,
        total_price=_price(car, customer, days),
        status="active",
    )
    return dict(_by_id(db, "reservations", new, "reservation_id"))


def list_reservations(db, customer_id):
    """A customer's reservations with their cars and branches."""
    return _rows_of(db, _RESERVATIONS, "customers", customer_id, "customer_id")


def cancel_reservation(db, reservation_id):
    """Cancel an active reservation."""
    _active_row(db, "reservations", reservation_id, "reservation_id")
    db.execute("UPDATE reservations SET status = 'cancelled' WHERE id = ?", (reservation_id,))
    return {"reservation_id": reservation_id, "status": "cancelled"}
