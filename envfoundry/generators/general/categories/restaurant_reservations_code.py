"""Generated-code templates of the restaurant_reservations category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec

SCHEMA_SQL = """
CREATE TABLE restaurants (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,
  country TEXT NOT NULL, cuisine TEXT NOT NULL, rating REAL NOT NULL,
  price_per_person REAL NOT NULL, opens TEXT NOT NULL, closes TEXT NOT NULL,
  vegetarian INTEGER NOT NULL, vegan INTEGER NOT NULL, gluten_free INTEGER NOT NULL);
CREATE TABLE dining_tables (id INTEGER PRIMARY KEY, restaurant_id INTEGER NOT NULL
  REFERENCES restaurants(id), seats INTEGER NOT NULL, area TEXT NOT NULL);
CREATE TABLE reservations (id INTEGER PRIMARY KEY, restaurant_id INTEGER NOT NULL,
  table_id INTEGER NOT NULL REFERENCES dining_tables(id), party_name TEXT NOT NULL,
  party_size INTEGER NOT NULL, date TEXT NOT NULL, time TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active');
"""

SITTING_MIN = 120

TOOLS_V1 = '''"""Restaurant reservation tools over the bookings database (sittings last 120 minutes)."""

import re

SITTING = 120


def _minutes(value, what):
    if not isinstance(value, str) or not re.fullmatch(r"\\d{2}:\\d{2}", value):
        raise ValueError(f"{what} must be a time 'HH:MM', got {value!r}")
    h, m = int(value[:2]), int(value[3:])
    if h > 23 or m > 59 or m % 30:
        raise ValueError(f"{what} must be a valid time on the hour or half hour, got {value!r}")
    return h * 60 + m


def _date(value):
    if not isinstance(value, str) or not re.fullmatch(r"\\d{4}-\\d{2}-\\d{2}", value):
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
'''

TOOLS_V2_EXTRA = '''
def find_reservations(db, party_name):
    """Active reservations held under a party name."""
    if not isinstance(party_name, str) or not party_name:
        raise ValueError("party_name must be a non-empty string")
    rows = db.execute(
        "SELECT r.id AS reservation_id, r.restaurant_id, r.table_id, r.party_size, r.date,"
        " r.time, t.seats FROM reservations r JOIN dining_tables t ON t.id = r.table_id"
        " WHERE r.party_name = ? AND r.status = 'active' ORDER BY r.id",
        (party_name,),
    ).fetchall()
    return [dict(r) for r in rows]


def cancel_reservation(db, reservation_id):
    """Cancel an active reservation, freeing its table."""
    row = db.execute(
        "SELECT status FROM reservations WHERE id = ?", (reservation_id,)
    ).fetchone()
    if row is None:
        raise ValueError(f"no reservation with id {reservation_id}")
    if row["status"] != "active":
        raise ValueError(f"reservation {reservation_id} is already {row['status']}")
    db.execute("UPDATE reservations SET status = 'cancelled' WHERE id = ?", (reservation_id,))
    return {"reservation_id": reservation_id, "status": "cancelled"}
'''

_ID = {"type": "integer", "description": "Restaurant id."}
_DATE = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "description": "YYYY-MM-DD."}
_TIME = {"type": "string", "pattern": "^\\d{2}:\\d{2}$", "description": "HH:MM (on :00/:30)."}

TOOLS_V1_SPECS = (
    spec(
        "search_restaurants",
        "List restaurants in a city (id, name, cuisine, rating, price_per_person), optionally "
        "filtered by exact cuisine and by minimum rating.",
        {
            "city": {"type": "string"},
            "cuisine": {"type": "string"},
            "min_rating": {"type": "number", "minimum": 0, "maximum": 5},
        },
        ["city"],
    ),
    spec(
        "get_restaurant",
        "Details of one restaurant: opening hours (local HH:MM), price per person, dietary "
        "options (vegetarian, vegan, gluten_free) and its tables with seat counts.",
        {"restaurant_id": _ID},
        ["restaurant_id"],
    ),
    spec(
        "get_table_availability",
        "Tables of a restaurant free for a 120-minute sitting starting at the given date and "
        "time. Fails when the sitting would not fit inside the opening hours.",
        {"restaurant_id": _ID, "date": _DATE, "time": _TIME},
        ["restaurant_id", "date", "time"],
    ),
    spec(
        "make_reservation",
        "Reserve a table for a 120-minute sitting. Fails if the table is not in that "
        "restaurant, seats fewer than party_size, or overlaps another active reservation.",
        {
            "restaurant_id": _ID,
            "table_id": {"type": "integer"},
            "date": _DATE,
            "time": _TIME,
            "party_size": {"type": "integer", "minimum": 1},
            "party_name": {"type": "string", "minLength": 1},
        },
        ["restaurant_id", "table_id", "date", "time", "party_size", "party_name"],
        mutates=True,
    ),
)

TOOLS_V2_SPECS = (
    spec(
        "find_reservations",
        "Active reservations under a party name (reservation_id, restaurant_id, table_id, "
        "seats of the table, party_size, date, time).",
        {"party_name": {"type": "string", "minLength": 1}},
        ["party_name"],
    ),
    spec(
        "cancel_reservation",
        "Cancel an active reservation by id, freeing its table.",
        {"reservation_id": {"type": "integer"}},
        ["reservation_id"],
        mutates=True,
    ),
)

# ------------------------------------------------------------------ shared generated helpers

V_PRELUDE = """
def _m(t):
    return int(t[:2]) * 60 + int(t[3:])


def _rest(db, rid):
    return db.execute("SELECT * FROM restaurants WHERE id = ?", (rid,)).fetchone()


def _free(db, rest, date, time, size, ignore=()):
    # the tables of rest free for a 120-minute sitting at date/time that seat size people
    start = _m(time)
    if start < _m(rest["opens"]) or start + 120 > _m(rest["closes"]):
        return []
    out = []
    for t in db.execute("SELECT * FROM dining_tables WHERE restaurant_id = ?", (rest["id"],)):
        if t["seats"] < size:
            continue
        busy = db.execute(
            "SELECT id, time FROM reservations WHERE table_id = ? AND date = ? AND status = 'active'",
            (t["id"], date),
        ).fetchall()
        if all(b["id"] in ignore or abs(_m(b["time"]) - start) >= 120 for b in busy):
            out.append(t)
    return out


def _mine(db, name):
    return db.execute(
        "SELECT * FROM reservations WHERE party_name = ? AND status = 'active' ORDER BY id", (name,)
    ).fetchall()


def _clash(db, res):
    # another active reservation overlapping res on the same table
    for b in db.execute(
        "SELECT id, time FROM reservations WHERE table_id = ? AND date = ? AND status = 'active'"
        " AND id != ?", (res["table_id"], res["date"], res["id"])
    ):
        if abs(_m(b["time"]) - _m(res["time"])) < 120:
            return True
    return False
"""

S_PRELUDE = """
def _m(t):
    return int(t[:2]) * 60 + int(t[3:])


def _fits(tools, rest, date, time, size):
    # free tables seating size people, smallest first; [] when the time is outside the hours
    if _m(time) < _m(rest["opens"]) or _m(time) + 120 > _m(rest["closes"]):
        return []
    free = tools.get_table_availability(restaurant_id=rest["id"], date=date, time=time)
    return sorted((t for t in free if t["seats"] >= size), key=lambda t: (t["seats"], t["table_id"]))
"""


# ------------------------------------------------------------------ level 1: filter (read)

L1_SOLVE = """
def solve(tools):
    found = tools.search_restaurants(city={{CITY}}, min_rating={{MIN_RATING}})
    keep = [r["id"] for r in found if tools.get_restaurant(restaurant_id=r["id"])["vegan"]]
    return {"restaurant_ids": sorted(keep)}
"""
L1_PERTURBED = """
def solve(tools):
    # forgets the vegan requirement
    found = tools.search_restaurants(city={{CITY}}, min_rating={{MIN_RATING}})
    return {"restaurant_ids": sorted(r["id"] for r in found)}
"""
L1_VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("restaurant_ids"), list):
        return False, "answer must be an object with a list 'restaurant_ids'"
    ids = answer["restaurant_ids"]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return False, "restaurant_ids must be integers"
    want = sorted(r["id"] for r in db.execute(
        "SELECT id FROM restaurants WHERE city = ? AND rating >= ? AND vegan = 1",
        ({{CITY}}, {{MIN_RATING}})))
    if ids != want:
        return False, f"expected the sorted ids {want}, got {ids}"
    return True, "exact set of qualifying vegan restaurants"
"""

# ------------------------------------------------------------------ level 2: best available (read)

L2_SOLVE = (
    S_PRELUDE
    + """

def solve(tools):
    best = None
    for r in tools.search_restaurants(city={{CITY}}):
        rest = tools.get_restaurant(restaurant_id=r["id"])
        if rest["gluten_free"] and _fits(tools, rest, {{DATE}}, {{TIME}}, {{SIZE}}):
            if best is None or rest["rating"] > best["rating"]:
                best = rest
    return {"restaurant_id": best["id"]}
"""
)
L2_PERTURBED = """
def solve(tools):
    # takes the best-rated gluten-free restaurant without checking tables
    rests = [tools.get_restaurant(restaurant_id=r["id"]) for r in tools.search_restaurants(city={{CITY}})]
    best = max((r for r in rests if r["gluten_free"]), key=lambda r: r["rating"])
    return {"restaurant_id": best["id"]}
"""
L2_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("restaurant_id"), int):
        return False, "answer must be an object with an integer 'restaurant_id'"
    rest = _rest(db, answer["restaurant_id"])
    if rest is None or rest["city"] != {{CITY}}:
        return False, "not a restaurant in the requested city"
    if not rest["gluten_free"]:
        return False, f"{rest['name']} has no gluten-free options"
    if not _free(db, rest, {{DATE}}, {{TIME}}, {{SIZE}}):
        return False, f"{rest['name']} has no free table for the party at that time"
    best = max(r["rating"] for r in db.execute(
        "SELECT * FROM restaurants WHERE city = ? AND gluten_free = 1", ({{CITY}},))
        if _free(db, r, {{DATE}}, {{TIME}}, {{SIZE}}))
    if rest["rating"] < best:
        return False, f"rating {rest['rating']} is below the best available {best}"
    return True, "highest-rated gluten-free restaurant with a free table"
"""
)

# ------------------------------------------------------------------ level 3: conditional booking

L3_SOLVE = (
    S_PRELUDE
    + """

def solve(tools):
    cands = []
    for cuisine in {{CUISINES}}:
        for r in tools.search_restaurants(city={{CITY}}, cuisine=cuisine, min_rating={{MIN_RATING}}):
            rest = tools.get_restaurant(restaurant_id=r["id"])
            if rest["vegetarian"]:
                cands.append(rest)
    for time in ({{PREFERRED}}, {{FALLBACK}}):
        options = [(rest, _fits(tools, rest, {{DATE}}, time, {{SIZE}})) for rest in cands]
        options = [(rest, free) for rest, free in options if free]
        if options:
            rest, free = max(options, key=lambda o: o[0]["rating"])
            res = tools.make_reservation(restaurant_id=rest["id"], table_id=free[0]["table_id"],
                                         date={{DATE}}, time=time, party_size={{SIZE}},
                                         party_name={{PARTY}})
            return {"reservation_id": res["reservation_id"]}
    return {"reservation_id": -1}
"""
)
L3_PERTURBED = (
    S_PRELUDE
    + """

def solve(tools):
    # ignores the vegetarian requirement
    cands = []
    for cuisine in {{CUISINES}}:
        for r in tools.search_restaurants(city={{CITY}}, cuisine=cuisine, min_rating={{MIN_RATING}}):
            cands.append(tools.get_restaurant(restaurant_id=r["id"]))
    for time in ({{PREFERRED}}, {{FALLBACK}}):
        options = [(rest, _fits(tools, rest, {{DATE}}, time, {{SIZE}})) for rest in cands]
        options = [(rest, free) for rest, free in options if free]
        if options:
            rest, free = max(options, key=lambda o: o[0]["rating"])
            res = tools.make_reservation(restaurant_id=rest["id"], table_id=free[0]["table_id"],
                                         date={{DATE}}, time=time, party_size={{SIZE}},
                                         party_name={{PARTY}})
            return {"reservation_id": res["reservation_id"]}
    return {"reservation_id": -1}
"""
)
L3_VERIFY = (
    V_PRELUDE
    + """

def _ok(rest):
    return (rest["city"] == {{CITY}} and rest["cuisine"] in {{CUISINES}}
            and rest["rating"] >= {{MIN_RATING}} and rest["vegetarian"] == 1)


def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("reservation_id"), int):
        return False, "answer must be an object with an integer 'reservation_id'"
    mine = _mine(db, {{PARTY}})
    if len(mine) != 1 or mine[0]["id"] != answer["reservation_id"]:
        return False, "the party must hold exactly one active reservation, the one answered"
    res = mine[0]
    rest = _rest(db, res["restaurant_id"])
    if not _ok(rest):
        return False, f"{rest['name']} breaks the cuisine/vegetarian/rating rules"
    if res["date"] != {{DATE}} or res["party_size"] != {{SIZE}} or _clash(db, res):
        return False, "wrong date or party size, or the table is double-booked"
    cands = [r for r in db.execute("SELECT * FROM restaurants") if _ok(r)]
    ign = (res["id"],)
    early = [r for r in cands if _free(db, r, {{DATE}}, {{PREFERRED}}, {{SIZE}}, ign)]
    want_time = {{PREFERRED}} if early else {{FALLBACK}}
    if res["time"] != want_time:
        return False, f"the reservation must be at {want_time}, not {res['time']}"
    avail = [r for r in cands if _free(db, r, {{DATE}}, want_time, {{SIZE}}, ign)]
    if rest["rating"] < max(r["rating"] for r in avail):
        return False, "a better-rated qualifying restaurant had a free table"
    tables = _free(db, rest, {{DATE}}, want_time, {{SIZE}}, ign)
    seats = db.execute("SELECT seats FROM dining_tables WHERE id = ?", (res["table_id"],)).fetchone()
    if seats["seats"] > min(t["seats"] for t in tables):
        return False, "a smaller free table would have seated the party"
    return True, "valid reservation"
"""
)

# ------------------------------------------------------------------ level 4: three nights, budget

L4_SOLVE = (
    S_PRELUDE
    + """
import itertools


def solve(tools):
    rests = [tools.get_restaurant(restaurant_id=r["id"])
             for r in tools.search_restaurants(city={{CITY}}, min_rating={{MIN_RATING}})]
    rests = [r for r in rests if r["vegan"]]
    options = []
    for date in {{DATES}}:
        night = []
        for rest in rests:
            for time in {{TIMES}}:
                free = _fits(tools, rest, date, time, {{SIZE}})
                if free:
                    night.append((rest, time, free[0]["table_id"]))
                    break
        options.append(night)
    best = None
    for combo in itertools.product(*options):
        if len({c[0]["cuisine"] for c in combo}) < len(combo):
            continue
        cost = sum(c[0]["price_per_person"] for c in combo) * {{SIZE}}
        if best is None or cost < best[0]:
            best = (cost, combo)
    ids = []
    for date, (rest, time, table) in zip({{DATES}}, best[1]):
        res = tools.make_reservation(restaurant_id=rest["id"], table_id=table, date=date,
                                     time=time, party_size={{SIZE}}, party_name={{PARTY}})
        ids.append(res["reservation_id"])
    return {"reservation_ids": ids}
"""
)
L4_PERTURBED = (
    S_PRELUDE
    + """

def solve(tools):
    # books the cheapest option every night and forgets the different-cuisine rule
    rests = [tools.get_restaurant(restaurant_id=r["id"])
             for r in tools.search_restaurants(city={{CITY}}, min_rating={{MIN_RATING}})]
    rests = sorted((r for r in rests if r["vegan"]), key=lambda r: r["price_per_person"])
    ids = []
    for date in {{DATES}}:
        done = False
        for rest in rests:
            for time in {{TIMES}}:
                free = _fits(tools, rest, date, time, {{SIZE}})
                if free and not done:
                    res = tools.make_reservation(restaurant_id=rest["id"],
                                                 table_id=free[0]["table_id"], date=date, time=time,
                                                 party_size={{SIZE}}, party_name={{PARTY}})
                    ids.append(res["reservation_id"])
                    done = True
    return {"reservation_ids": ids}
"""
)
L4_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("reservation_ids"), list):
        return False, "answer must be an object with a list 'reservation_ids'"
    mine = _mine(db, {{PARTY}})
    if sorted(r["id"] for r in mine) != sorted(answer["reservation_ids"]) or len(mine) != 3:
        return False, "the party must hold exactly the three answered reservations"
    if sorted(r["date"] for r in mine) != {{DATES}}:
        return False, "exactly one dinner per requested evening is required"
    cuisines, cost = set(), 0
    for res in mine:
        rest = _rest(db, res["restaurant_id"])
        if rest["city"] != {{CITY}} or not rest["vegan"] or rest["rating"] < {{MIN_RATING}}:
            return False, f"{rest['name']} breaks the city/vegan/rating rules"
        if res["time"] not in {{TIMES}} or res["party_size"] != {{SIZE}} or _clash(db, res):
            return False, "a reservation has a wrong time or size, or is double-booked"
        cuisines.add(rest["cuisine"])
        cost += rest["price_per_person"] * {{SIZE}}
    if len(cuisines) != 3:
        return False, "the three dinners must have three different cuisines"
    if cost > {{BUDGET}}:
        return False, f"estimated cost {cost} exceeds the budget"
    return True, f"three valid dinners costing {cost}"
"""
)

# ------------------------------------------------------------------ level 5: move (toolset v2)

L5_SOLVE = (
    S_PRELUDE
    + """

def solve(tools):
    old = tools.find_reservations(party_name={{PARTY}})[0]
    tools.cancel_reservation(reservation_id=old["reservation_id"])
    rest = tools.get_restaurant(restaurant_id=old["restaurant_id"])
    base = _m(old["time"])
    for delta in (0, -30, 30, -60, 60):
        t = base + delta
        time = f"{t // 60:02d}:{t % 60:02d}"
        free = _fits(tools, rest, old["date"], time, {{SIZE}})
        if free:
            break
    else:
        best = None
        for r in tools.search_restaurants(city=rest["city"], cuisine=rest["cuisine"]):
            other = tools.get_restaurant(restaurant_id=r["id"])
            fits = _fits(tools, other, old["date"], old["time"], {{SIZE}})
            if other["id"] != rest["id"] and fits and (best is None or other["rating"] > best[0]["rating"]):
                best = (other, fits)
        rest, free, time = best[0], best[1], old["time"]
    res = tools.make_reservation(restaurant_id=rest["id"], table_id=free[0]["table_id"],
                                 date=old["date"], time=time, party_size={{SIZE}},
                                 party_name={{PARTY}})
    return {"reservation_id": res["reservation_id"]}
"""
)
L5_PERTURBED = L5_SOLVE.replace(
    '    tools.cancel_reservation(reservation_id=old["reservation_id"])\n',
    "    # forgets to cancel the old reservation\n",
)
L5_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("reservation_id"), int):
        return False, "answer must be an object with an integer 'reservation_id'"
    old = db.execute("SELECT * FROM reservations WHERE id = ?", ({{OLD_ID}},)).fetchone()
    if old["status"] != "cancelled":
        return False, "the original reservation was not cancelled"
    mine = _mine(db, {{PARTY}})
    if len(mine) != 1 or mine[0]["id"] != answer["reservation_id"]:
        return False, "the party must hold exactly one active reservation, the one answered"
    res = mine[0]
    if res["party_size"] != {{SIZE}} or res["date"] != old["date"] or _clash(db, res):
        return False, "wrong party size or date, or the table is double-booked"
    home = _rest(db, old["restaurant_id"])
    ign = (res["id"],)
    for delta in (0, -30, 30, -60, 60):
        t = _m(old["time"]) + delta
        time = f"{t // 60:02d}:{t % 60:02d}"
        if _free(db, home, old["date"], time, {{SIZE}}, ign):
            if res["restaurant_id"] != home["id"] or res["time"] != time:
                return False, f"{home['name']} had a table at {time}; book it there"
            break
    else:
        rest = _rest(db, res["restaurant_id"])
        alts = [r for r in db.execute(
            "SELECT * FROM restaurants WHERE city = ? AND cuisine = ? AND id != ?",
            (home["city"], home["cuisine"], home["id"])) if _free(db, r, old["date"], old["time"], {{SIZE}}, ign)]
        if rest["id"] not in [r["id"] for r in alts] or res["time"] != old["time"]:
            return False, "must move to a same-cuisine restaurant at the original time"
        if rest["rating"] < max(r["rating"] for r in alts):
            return False, "a better-rated same-cuisine restaurant had a table"
    tables = _free(db, _rest(db, res["restaurant_id"]), res["date"], res["time"], {{SIZE}}, ign)
    seats = db.execute("SELECT seats FROM dining_tables WHERE id = ?", (res["table_id"],)).fetchone()
    if seats["seats"] > min(t["seats"] for t in tables):
        return False, "a smaller free table would have seated the party"
    return True, "reservation moved correctly"
"""
)
