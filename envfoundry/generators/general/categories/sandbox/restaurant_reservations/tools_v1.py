"""Restaurant reservation tools over the bookings database (sittings last 120 minutes)."""

import re

SITTING = 120


def _minutes(value, what):
    if not isinstance(value, str) or not re.fullmatch(r"\d{2}:\d{2}", value):
        raise ValueError(f"{what} must be a time 'HH:MM', got {value!r}")
    h, m = int(value[:2]), int(value[3:])
    if h > 23 or m > 59 or m % 30:
        raise ValueError(f"{what} must be a valid time on the hour or half hour, got {value!r}")
    return h * 60 + m


def _date(value):
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"date must be 'YYYY-MM-DD', got {value!r}")
    return value


def _restaurant(db, restaurant_id):
    if not isinstance(restaurant_id, int):
        raise ValueError("restaurant_id must be an integer")
    row = db.execute("SELECT * FROM restaurants WHERE id = ?", (restaurant_id,)).fetchone()
    if row is None:
        raise ValueError(f"no restaurant with id {restaurant_id}")
    return dict(row)


def _free_tables(db, rest, date, start):
    if start < _minutes(rest["opens"], "opens") or start + SITTING > _minutes(rest["closes"], "closes"):
        raise ValueError(
            f"{rest['name']} is open {rest['opens']}-{rest['closes']}; a 120-minute sitting "
            "must fit inside the opening hours"
        )
    out = []
    tables = db.execute(
        "SELECT * FROM dining_tables WHERE restaurant_id = ? ORDER BY id", (rest["id"],)
    ).fetchall()
    for t in tables:
        busy = db.execute(
            "SELECT time FROM reservations WHERE table_id = ? AND date = ? AND status = 'active'",
            (t["id"], date),
        ).fetchall()
        if all(abs(_minutes(b["time"], "time") - start) >= SITTING for b in busy):
            out.append({"table_id": t["id"], "seats": t["seats"], "area": t["area"]})
    return out


def search_restaurants(db, city, cuisine=None, min_rating=None):
    """Restaurants in a city, optionally filtered by cuisine and minimum rating."""
    if not isinstance(city, str) or not city:
        raise ValueError("city must be a non-empty string")
    sql = "SELECT id, name, cuisine, rating, price_per_person FROM restaurants WHERE city = ?"
    args = [city]
    if cuisine is not None:
        sql += " AND cuisine = ?"
        args.append(cuisine)
    if min_rating is not None:
        if not isinstance(min_rating, (int, float)):
            raise ValueError("min_rating must be a number")
        sql += " AND rating >= ?"
        args.append(min_rating)
    return [dict(r) for r in db.execute(sql + " ORDER BY id", args).fetchall()]


def get_restaurant(db, restaurant_id):
    """Full details of a restaurant: hours, dietary options and its tables."""
    rest = _restaurant(db, restaurant_id)
    for flag in ("vegetarian", "vegan", "gluten_free"):
        rest[flag] = bool(rest[flag])
    rest["tables"] = [
        {"table_id": t["id"], "seats": t["seats"], "area": t["area"]}
        for t in db.execute(
            "SELECT * FROM dining_tables WHERE restaurant_id = ? ORDER BY id", (restaurant_id,)
        ).fetchall()
    ]
    return rest


def get_table_availability(db, restaurant_id, date, time):
    """Tables of a restaurant that are free for a 120-minute sitting starting at date/time."""
    rest = _restaurant(db, restaurant_id)
    return _free_tables(db, rest, _date(date), _minutes(time, "time"))


def make_reservation(db, restaurant_id, table_id, date, time, party_size, party_name):
    """Reserve a table for a 120-minute sitting; fails if the table is too small or taken."""
    rest = _restaurant(db, restaurant_id)
    if not isinstance(party_size, int) or party_size < 1:
        raise ValueError("party_size must be a positive integer")
    if not isinstance(party_name, str) or not party_name.strip():
        raise ValueError("party_name must be a non-empty string")
    free = {t["table_id"]: t for t in _free_tables(db, rest, _date(date), _minutes(time, "time"))}
    exists = db.execute(
        "SELECT seats FROM dining_tables WHERE id = ? AND restaurant_id = ?", (table_id, restaurant_id)
    ).fetchone()
    if exists is None:
        raise ValueError(f"table {table_id} does not belong to restaurant {restaurant_id}")
    if exists["seats"] < party_size:
        raise ValueError(f"table {table_id} seats {exists['seats']}, party has {party_size}")
    if table_id not in free:
        raise ValueError(f"table {table_id} is already reserved around {date} {time}")
    cur = db.execute(
        "INSERT INTO reservations (restaurant_id, table_id, party_name, party_size, date, time,"
        " status) VALUES (?, ?, ?, ?, ?, ?, 'active')",
        (restaurant_id, table_id, party_name, party_size, date, time),
    )
    return {"reservation_id": cur.lastrowid, "restaurant_id": restaurant_id, "table_id": table_id,
            "date": date, "time": time, "party_size": party_size, "party_name": party_name}
