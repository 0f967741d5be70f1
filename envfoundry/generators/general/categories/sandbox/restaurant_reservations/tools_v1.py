"""Restaurant reservation tools over the bookings database (sittings last 120 minutes)."""

import re

from ..helpers import _by_id, _canon, _date_arg, _dicts, _insert, _text_arg
from .sitting import SITTING, _inside_hours


def _minutes(value, what):
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValueError(f"{what} must be a time 'HH:MM', got {value!r}")
    h, m = int(value[:2]), int(value[3:])
    if h > 23 or m > 59 or m % 30:
        raise ValueError(f"{what} must be a valid time on the hour or half hour, got {value!r}")
    return h * 60 + m


def _tables(db, restaurant_id):
    return [
        {"table_id": t["id"], "seats": t["seats"], "area": t["area"]}
        for t in db.execute(
            "SELECT * FROM dining_tables WHERE restaurant_id = ? ORDER BY id", (restaurant_id,)
        )
    ]


def _free_tables(db, rest, date, start):
    _minutes(rest["opens"], "opens")
    _minutes(rest["closes"], "closes")
    if not _inside_hours(rest, start):
        raise ValueError(
            f"{rest['name']} is open {rest['opens']}-{rest['closes']}; a 120-minute sitting "
            "must fit inside the opening hours"
        )
    out = []
    for t in _tables(db, rest["id"]):
        busy = db.execute(
            "SELECT time FROM reservations WHERE table_id = ? AND date = ? AND status = 'active'",
            (t["table_id"], date),
        ).fetchall()
        if all(abs(_minutes(b["time"], "time") - start) >= SITTING for b in busy):
            out.append(t)
    return out


def search_restaurants(db, city, cuisine=None, min_rating=None):
    """Restaurants in a city, optionally filtered by cuisine and minimum rating."""
    sql = "SELECT id, name, cuisine, rating, price_per_person FROM restaurants WHERE city = ?"
    args = [_canon(db, "restaurants", "city", _text_arg(city, "city"), "city")]
    if cuisine is not None:
        sql += " AND cuisine = ?"
        args.append(_canon(db, "restaurants", "cuisine", cuisine, "cuisine"))
    if min_rating is not None:
        if not isinstance(min_rating, int | float):
            raise ValueError("min_rating must be a number")
        sql += " AND rating >= ?"
        args.append(min_rating)
    return _dicts(db, sql + " ORDER BY id", args)


def get_restaurant(db, restaurant_id):
    """Full details of a restaurant: hours, dietary options and its tables."""
    rest = dict(_by_id(db, "restaurants", restaurant_id, "restaurant_id"))
    for flag in ("vegetarian", "vegan", "gluten_free"):
        rest[flag] = bool(rest[flag])
    rest["tables"] = _tables(db, restaurant_id)
    return rest


def get_table_availability(db, restaurant_id, date, time):
    """Tables of a restaurant that are free for a 120-minute sitting starting at date/time."""
    rest = _by_id(db, "restaurants", restaurant_id, "restaurant_id")
    return _free_tables(db, rest, _date_arg(date, "date"), _minutes(time, "time"))


def make_reservation(db, restaurant_id, table_id, date, time, party_size, party_name):
    """Reserve a table for a 120-minute sitting; fails if the table is too small or taken."""
    rest = _by_id(db, "restaurants", restaurant_id, "restaurant_id")
    if not isinstance(party_size, int) or party_size < 1:
        raise ValueError("party_size must be a positive integer")
    _text_arg(party_name, "party_name")
    free = {
        t["table_id"]
        for t in _free_tables(db, rest, _date_arg(date, "date"), _minutes(time, "time"))
    }
    exists = db.execute(
        "SELECT seats FROM dining_tables WHERE id = ? AND restaurant_id = ?",
        (table_id, restaurant_id),
    ).fetchone()
    if exists is None:
        raise ValueError(f"table {table_id} does not belong to restaurant {restaurant_id}")
    if exists["seats"] < party_size:
        raise ValueError(f"table {table_id} seats {exists['seats']}, party has {party_size}")
    if table_id not in free:
        raise ValueError(f"table {table_id} is already reserved around {date} {time}")
    booked = {
        "restaurant_id": restaurant_id,
        "table_id": table_id,
        "date": date,
        "time": time,
        "party_size": party_size,
        "party_name": party_name,
    }
    return {"reservation_id": _insert(db, "reservations", **booked, status="active"), **booked}
