"""The verifier shared by every level: a valid itinerary within the level's limits, its days
in order (day 1 first), with nothing changed."""

from ..helpers import _is_int, _unexpected_change
from .params import BUDGET, BUDGET_KIND, DATES, FIXED, HOME, MIN_LUX, MIN_PRICE, MIN_RATING, N_DAYS
from .rules import RAINY, _rule

KEYS = (
    "day",
    "city",
    "hotel",
    "lunch",
    "dinner",
    "afternoon_attraction",
    "transport_from_previous",
)
VENUES = (
    ("hotel", "hotels"),
    ("lunch", "restaurants"),
    ("dinner", "restaurants"),
    ("afternoon_attraction", "attractions"),
)


def _row(db, table, name, city):
    if not isinstance(name, str):
        return None
    return db.execute(f"SELECT * FROM {table} WHERE name = ? AND city = ?", (name, city)).fetchone()


def _city(db, i, d):
    """The day's city, or None and why it is not allowed."""
    city = d["city"]
    if not isinstance(city, str) or (
        db.execute("SELECT 1 FROM cities WHERE name = ?", (city,)).fetchone() is None
    ):
        return None, f"unknown city {city!r}"
    if city == HOME:
        return None, "the trip may not stay in the home city"
    if FIXED is not None and city != FIXED[i]:
        return None, f"the city must be {FIXED[i]}"
    return city, ""


def _venues(db, d, city, seen):
    """The day's hotel, lunch, dinner and attraction rows, or None and why."""
    rows = {what: _row(db, table, d[what], city) for what, table in VENUES}
    for what, row in rows.items():
        if row is None:
            return None, f"{what} {d[what]!r} is not a {what} in {city}"
    if rows["lunch"]["id"] == rows["dinner"]["id"]:
        return None, "lunch and dinner must be at different restaurants"
    keys = [("city", city), ("hotel", rows["hotel"]["id"]), ("restaurant", rows["lunch"]["id"])]
    keys += [
        ("restaurant", rows["dinner"]["id"]),
        ("attraction", rows["afternoon_attraction"]["id"]),
    ]
    for key in keys:
        if key in seen:
            return None, f"{key[0]} repeated across days"
        seen.add(key)
    return rows, ""


def _leg(db, d, prev, city):
    tid = d["transport_from_previous"]
    leg = (
        db.execute("SELECT * FROM transport WHERE id = ?", (tid,)).fetchone()
        if _is_int(tid)
        else None
    )
    if leg is None or leg["from_city"] != prev or leg["to_city"] != city:
        return None
    return leg


def _rules(db, i, city, rows):
    """Why the day breaks the hotel floor, the price-tier rules or the weather, or ""."""
    hotel, att = rows["hotel"], rows["afternoon_attraction"]
    price = hotel["price_per_night"]
    if price < MIN_PRICE:
        return f"the hotel must cost at least {MIN_PRICE} per night"
    if hotel["rating"] < MIN_RATING:
        return f"the hotel must be rated at least {MIN_RATING}"
    broken = _rule(price, rows["lunch"], rows["dinner"], att)
    if broken:
        return broken
    if DATES is not None:
        w = db.execute(
            "SELECT condition FROM weather WHERE city = ? AND date = ?", (city, DATES[i])
        ).fetchone()
        if w is not None and w["condition"] in RAINY and att["setting"] == "outdoor":
            return f"outdoor attraction on a {w['condition']} day"
    return ""


def _day(db, i, d, prev, seen):
    """The day's (city, venue rows, leg), or None and why the day is invalid."""
    if not isinstance(d, dict) or any(k not in d for k in KEYS):
        return None, f"needs the keys {', '.join(KEYS)}"
    if d["day"] != i + 1:
        return None, f"'day' must be {i + 1}"
    city, problem = _city(db, i, d)
    if city is None:
        return None, problem
    rows, problem = _venues(db, d, city, seen)
    if rows is None:
        return None, problem
    leg = _leg(db, d, prev, city)
    if leg is None:
        return None, f"transport_from_previous must be a direct option {prev} -> {city}"
    problem = _rules(db, i, city, rows)
    return (None, problem) if problem else ((city, rows, leg), "")


def _limits(lux, fares, total):
    if lux < MIN_LUX:
        return f"needs at least {MIN_LUX} nights in hotels of 800 or more, got {lux}"
    if BUDGET_KIND == "transport" and fares > BUDGET:
        return f"transport costs {fares}, over the budget of {BUDGET}"
    if BUDGET_KIND == "total" and total > BUDGET:
        return f"the trip costs {total}, over the budget of {BUDGET}"
    return ""


def verify(answer, db, before, changes):
    # planning only reads: any change fails, and the plan is judged on the initial state
    problem = _unexpected_change(changes)
    if problem:
        return False, problem
    db = before
    if not isinstance(answer, dict) or not isinstance(answer.get("days"), list):
        return False, "answer must be an object with a list 'days'"
    days = answer["days"]
    if len(days) != N_DAYS:
        return False, f"expected {N_DAYS} days, got {len(days)}"
    seen: set[tuple] = set()
    prev, total, fares, lux = HOME, 0, 0, 0
    for i, d in enumerate(days):
        found, problem = _day(db, i, d, prev, seen)
        if found is None:
            return False, f"day {i + 1}: {problem}"
        prev, rows, leg = found
        price = rows["hotel"]["price_per_night"]
        lux += price >= 800
        fares += leg["price"]
        meals = rows["lunch"]["avg_cost"] + rows["dinner"]["avg_cost"]
        total += leg["price"] + price + meals + rows["afternoon_attraction"]["ticket_price"]
    problem = _limits(lux, fares, total)
    return (False, problem) if problem else (True, "valid itinerary")
