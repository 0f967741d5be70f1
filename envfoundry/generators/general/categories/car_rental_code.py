"""Generated-code templates of the car_rental category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, STR, tool

SCHEMA_SQL = """
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE branches (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT NOT NULL,
  kind TEXT NOT NULL);
CREATE TABLE cars (id INTEGER PRIMARY KEY, branch_id INTEGER NOT NULL REFERENCES branches(id),
  make TEXT NOT NULL, model TEXT NOT NULL, car_class TEXT NOT NULL, seats INTEGER NOT NULL,
  transmission TEXT NOT NULL, fuel TEXT NOT NULL, daily_rate INTEGER NOT NULL, plate TEXT NOT NULL);
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, age INTEGER NOT NULL,
  license_years INTEGER NOT NULL);
CREATE TABLE reservations (id INTEGER PRIMARY KEY, car_id INTEGER NOT NULL REFERENCES cars(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id), start_date TEXT NOT NULL,
  end_date TEXT NOT NULL, total_price INTEGER NOT NULL, status TEXT NOT NULL);
"""

TOOLS_V1 = '''
"""Car rental tools. A rental runs from start_date (pick-up) to end_date (return), charged per
day; drivers under 25 pay a 25/day young-driver fee and may not rent premium or luxury cars."""

import datetime

YOUNG_FEE = 25
RESTRICTED = ("premium", "luxury")


def _int(value, what):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be an integer")
    return value


def _days(db, start_date, end_date):
    try:
        s = datetime.date.fromisoformat(start_date)
        e = datetime.date.fromisoformat(end_date)
    except (TypeError, ValueError):
        raise ValueError("dates must be YYYY-MM-DD") from None
    today = db.execute("SELECT value FROM settings WHERE key = 'today'").fetchone()[0]
    if s < datetime.date.fromisoformat(today):
        raise ValueError(f"start_date must not be before today ({today})")
    if not 1 <= (e - s).days <= 30:
        raise ValueError("a rental lasts 1 to 30 days (end_date after start_date)")
    return (e - s).days


def _row(db, table, key, what):
    row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (_int(key, what),)).fetchone()
    if row is None:
        raise ValueError(f"no {table[:-1]} with id {key}")
    return row


def _busy(db, car_id, start_date, end_date, ignore=0):
    return db.execute(
        "SELECT 1 FROM reservations WHERE car_id = ? AND status = 'active' AND id != ?"
        " AND start_date < ? AND ? < end_date", (car_id, ignore, end_date, start_date)).fetchone()


def _price(db, car, customer, days):
    fee = YOUNG_FEE if customer["age"] < 25 else 0
    return days * (car["daily_rate"] + fee)


def list_branches(db, city=None):
    """Rental branches (id, name, city, kind 'airport' or 'downtown'), optionally in one city."""
    if city is None:
        rows = db.execute("SELECT * FROM branches ORDER BY id")
    else:
        rows = db.execute("SELECT * FROM branches WHERE city = ? ORDER BY id", (city,))
    return [dict(r) for r in rows]


def search_available_cars(db, branch_id, start_date, end_date, car_class=None, min_seats=None):
    """Cars of a branch free for the whole rental, optionally of one class / with enough seats."""
    _row(db, "branches", branch_id, "branch_id")
    _days(db, start_date, end_date)
    out = []
    for car in db.execute("SELECT * FROM cars WHERE branch_id = ? ORDER BY id", (branch_id,)):
        if car_class is not None and car["car_class"] != car_class:
            continue
        if min_seats is not None and car["seats"] < _int(min_seats, "min_seats"):
            continue
        if not _busy(db, car["id"], start_date, end_date):
            out.append(dict(car))
    return out


def get_car(db, car_id):
    """One car: branch, make, model, class, seats, transmission, fuel, daily_rate."""
    return dict(_row(db, "cars", car_id, "car_id"))


def find_customer(db, name):
    """A customer by full name: id, age and years of driving licence."""
    row = db.execute("SELECT * FROM customers WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no customer named {name!r}")
    return dict(row)


def list_reservations(db, customer_id):
    """A customer's reservations with their cars and branches."""
    _row(db, "customers", customer_id, "customer_id")
    rows = db.execute(
        "SELECT r.*, c.car_class, c.make, c.model, c.branch_id, b.city FROM reservations r"
        " JOIN cars c ON c.id = r.car_id JOIN branches b ON b.id = c.branch_id"
        " WHERE r.customer_id = ? ORDER BY r.id", (customer_id,))
    return [dict(r) for r in rows]


def create_reservation(db, customer_id, car_id, start_date, end_date):
    """Reserve a car for a customer; returns the reservation with its total price."""
    customer = _row(db, "customers", customer_id, "customer_id")
    car = _row(db, "cars", car_id, "car_id")
    days = _days(db, start_date, end_date)
    if customer["age"] < 25 and car["car_class"] in RESTRICTED:
        raise ValueError("drivers under 25 may not rent premium or luxury cars")
    if _busy(db, car_id, start_date, end_date):
        raise ValueError(f"car {car_id} is already reserved in that period")
    total = _price(db, car, customer, days)
    cur = db.execute("INSERT INTO reservations (car_id, customer_id, start_date, end_date,"
                     " total_price, status) VALUES (?, ?, ?, ?, ?, 'active')",
                     (car_id, customer_id, start_date, end_date, total))
    return dict(_row(db, "reservations", cur.lastrowid, "reservation_id"))


def cancel_reservation(db, reservation_id):
    """Cancel an active reservation."""
    res = _row(db, "reservations", reservation_id, "reservation_id")
    if res["status"] != "active":
        raise ValueError(f"reservation {reservation_id} is {res['status']}")
    db.execute("UPDATE reservations SET status = 'cancelled' WHERE id = ?", (reservation_id,))
    return {"reservation_id": reservation_id, "status": "cancelled"}
'''

TOOLS_V2_EXTRA = '''
def extend_reservation(db, reservation_id, new_end_date):
    """Keep the same car longer: move an active reservation's end_date later when the car is
    free until then; the total price is recomputed."""
    res = _row(db, "reservations", reservation_id, "reservation_id")
    if res["status"] != "active":
        raise ValueError(f"reservation {reservation_id} is {res['status']}")
    if not isinstance(new_end_date, str) or new_end_date <= res["end_date"]:
        raise ValueError("new_end_date must be after the current end_date")
    days = _days(db, res["start_date"], new_end_date)
    if _busy(db, res["car_id"], res["start_date"], new_end_date, ignore=reservation_id):
        raise ValueError("the car is reserved by someone else in the extension period")
    car = _row(db, "cars", res["car_id"], "car_id")
    total = _price(db, car, _row(db, "customers", res["customer_id"], "customer_id"), days)
    db.execute("UPDATE reservations SET end_date = ?, total_price = ? WHERE id = ?",
               (new_end_date, total, reservation_id))
    return dict(_row(db, "reservations", reservation_id, "reservation_id"))
'''

_DATES = {
    "start_date": {**STR, "description": "Pick-up date YYYY-MM-DD."},
    "end_date": {**STR, "description": "Return date YYYY-MM-DD."},
}
TOOLS_V1_SPECS = (
    tool("list_branches", "Rental branches, optionally filtered by city.", {"city": STR}),
    tool(
        "search_available_cars",
        "Cars of a branch that are free for the whole period; optional car_class ('economy', "
        "'compact', 'suv', 'minivan', 'van', 'premium', 'luxury') and min_seats filters.",
        {"branch_id": INT, **_DATES, "car_class": STR, "min_seats": INT},
        ["branch_id", "start_date", "end_date"],
    ),
    tool("get_car", "One car by id.", {"car_id": INT}, ["car_id"]),
    tool(
        "find_customer",
        "Find a customer by full name (id, age, licence years).",
        {"name": STR},
        ["name"],
    ),
    tool("list_reservations", "A customer's reservations.", {"customer_id": INT}, ["customer_id"]),
    tool(
        "create_reservation",
        "Reserve a car: total = days x (daily_rate + 25 if the driver is under 25). Drivers "
        "under 25 cannot rent premium or luxury cars.",
        {"customer_id": INT, "car_id": INT, **_DATES},
        ["customer_id", "car_id", "start_date", "end_date"],
        mutates=True,
    ),
    tool(
        "cancel_reservation",
        "Cancel an active reservation.",
        {"reservation_id": INT},
        ["reservation_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "extend_reservation",
        "Extend an active reservation (same car, same id) to a later end date when the car is "
        "free; the total price is recomputed.",
        {"reservation_id": INT, "new_end_date": STR},
        ["reservation_id", "new_end_date"],
        mutates=True,
    ),
)

# Verifier helpers: availability ignores the customer's own episode reservations.
V_HELPERS = '''
import datetime

MAX_RES = {{MAX_RES}}


def _days(s, e):
    return (datetime.date.fromisoformat(e) - datetime.date.fromisoformat(s)).days


def _free(db, car_id, s, e, ignore=()):
    for r in db.execute("SELECT * FROM reservations WHERE car_id = ? AND status = 'active'"
                        " AND start_date < ? AND ? < end_date", (car_id, e, s)):
        if r["id"] not in ignore:
            return False
    return True


def _new(db, name):
    return db.execute(
        "SELECT r.*, c.branch_id, c.car_class, c.seats, c.transmission, c.fuel, c.daily_rate,"
        " b.city, u.age FROM reservations r JOIN cars c ON c.id = r.car_id"
        " JOIN branches b ON b.id = c.branch_id JOIN customers u ON u.id = r.customer_id"
        " WHERE u.name = ? AND r.id > ? AND r.status = 'active' ORDER BY r.id",
        (name, MAX_RES)).fetchall()


def _sound(db, res):
    """Dates, price and no double booking of one reservation row."""
    days = _days(res["start_date"], res["end_date"])
    fee = 25 if res["age"] < 25 else 0
    if res["total_price"] != days * (res["daily_rate"] + fee):
        return "the total price does not match the rate"
    if res["age"] < 25 and res["car_class"] in ("premium", "luxury"):
        return "a driver under 25 got a premium or luxury car"
    if not _free(db, res["car_id"], res["start_date"], res["end_date"], (res["id"],)):
        return "the car is double-booked"
    return None


def _cars(db, where, args):
    return db.execute("SELECT c.*, b.city FROM cars c JOIN branches b ON b.id = c.branch_id"
                      " WHERE " + where, args).fetchall()
'''

L1_SOLVE = """
def solve(tools):
    best = None
    for b in tools.list_branches(city={{CITY}}):
        for car in tools.search_available_cars(branch_id=b["id"], start_date={{START}},
                                               end_date={{END}}, min_seats={{SEATS}}):
            if best is None or (car["daily_rate"], car["id"]) < (best["daily_rate"], best["id"]):
                best = car
    return {"car_id": best["id"]}
"""
# only looks at the airport branch
L1_PERTURBED = L1_SOLVE.replace(
    "tools.list_branches(city={{CITY}})",
    '[b for b in tools.list_branches(city={{CITY}}) if b["kind"] == "airport"]',
)
L1_VERIFY = (
    V_HELPERS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("car_id")):
        return False, "answer must be an object with an integer 'car_id'"
    ok = [c for c in _cars(db, "b.city = ? AND c.seats >= ?", ({{CITY}}, {{SEATS}}))
          if _free(db, c["id"], {{START}}, {{END}})]
    pick = [c for c in ok if c["id"] == answer["car_id"]]
    if not pick:
        return False, "not a free car in {{CITY}} with at least {{SEATS}} seats"
    if pick[0]["daily_rate"] > min(c["daily_rate"] for c in ok):
        return False, "a cheaper free car qualifies"
    return True, "cheapest free car"
"""
)

L2_SOLVE = """
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    cars = tools.search_available_cars(branch_id={{BRANCH}}, start_date={{START}}, end_date={{END}},
                                       car_class="suv")
    ok = [c for c in cars if c["transmission"] == "automatic"]
    best = min(ok, key=lambda c: (c["daily_rate"], c["id"]))
    res = tools.create_reservation(customer_id=cid, car_id=best["id"], start_date={{START}},
                                   end_date={{END}})
    return {"reservation_id": res["id"]}
"""
L2_PERTURBED = L2_SOLVE.replace('c["transmission"] == "automatic"', "True")
L2_VERIFY = (
    V_HELPERS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("reservation_id")):
        return False, "answer must be an object with an integer 'reservation_id'"
    new = _new(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["reservation_id"]:
        return False, "expected exactly one new active reservation, the answered one"
    r = new[0]
    if (r["start_date"], r["end_date"]) != ({{START}}, {{END}}) or r["branch_id"] != {{BRANCH}}:
        return False, "wrong branch or dates"
    if r["car_class"] != "suv" or r["transmission"] != "automatic":
        return False, "the car must be an automatic SUV"
    broken = _sound(db, r)
    if broken:
        return False, broken
    ok = [c for c in _cars(db, "c.branch_id = ? AND c.car_class = 'suv' AND c.transmission = 'automatic'",
                           ({{BRANCH}},)) if _free(db, c["id"], {{START}}, {{END}}, (r["id"],))]
    if r["daily_rate"] > min(c["daily_rate"] for c in ok):
        return False, "a cheaper automatic SUV was free"
    return True, "cheapest automatic SUV reserved"
"""
)

L3_SOLVE = """
def solve(tools):
    cust = tools.find_customer(name={{NAME}})
    cars = tools.search_available_cars(branch_id={{BRANCH}}, start_date={{START}}, end_date={{END}},
                                       min_seats={{SEATS}})
    if cust["age"] < 25:
        cars = [c for c in cars if c["car_class"] not in ("premium", "luxury")]
    for fuel in {{FUELS}}:
        pool = [c for c in cars if fuel is None or c["fuel"] == fuel]
        if pool:
            best = min(pool, key=lambda c: (c["daily_rate"], c["id"]))
            break
    res = tools.create_reservation(customer_id=cust["id"], car_id=best["id"], start_date={{START}},
                                   end_date={{END}})
    return {"reservation_id": res["id"]}
"""
L3_PERTURBED = L3_SOLVE.replace("for fuel in {{FUELS}}:", "for fuel in [None]:")
L3_VERIFY = (
    V_HELPERS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("reservation_id")):
        return False, "answer must be an object with an integer 'reservation_id'"
    new = _new(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["reservation_id"]:
        return False, "expected exactly one new active reservation, the answered one"
    r = new[0]
    if (r["start_date"], r["end_date"]) != ({{START}}, {{END}}) or r["branch_id"] != {{BRANCH}}:
        return False, "wrong branch or dates"
    if r["seats"] < {{SEATS}}:
        return False, "the car must seat {{SEATS}}"
    broken = _sound(db, r)
    if broken:
        return False, broken
    ok = [c for c in _cars(db, "c.branch_id = ? AND c.seats >= ?", ({{BRANCH}}, {{SEATS}}))
          if _free(db, c["id"], {{START}}, {{END}}, (r["id"],))
          and not (r["age"] < 25 and c["car_class"] in ("premium", "luxury"))]
    for fuel in {{FUELS}}:
        pool = [c for c in ok if fuel is None or c["fuel"] == fuel]
        if pool:
            break
    if fuel is not None and r["fuel"] != fuel:
        return False, f"a free car running on {fuel} was available and must be preferred"
    if r["daily_rate"] > min(c["daily_rate"] for c in pool):
        return False, "a cheaper car of the preferred fuel was free"
    return True, "preferred fuel, lowest price"
"""
)

L4_SOLVE = """
DAYS = {{DAYS}}


def solve(tools):
    cust = tools.find_customer(name={{NAME}})
    legs = []
    for city, start, end in {{LEGS}}:
        cars = []
        for b in tools.list_branches(city=city):
            cars += tools.search_available_cars(branch_id=b["id"], start_date=start, end_date=end,
                                                min_seats={{SEATS}})
        if cust["age"] < 25:
            cars = [c for c in cars if c["car_class"] not in ("premium", "luxury")]
        legs.append(cars)
    best = None
    for a in legs[0]:
        for b in legs[1]:
            if {{SAME_CLASS}} and a["car_class"] != b["car_class"]:
                continue
            key = (a["daily_rate"] * DAYS[0] + b["daily_rate"] * DAYS[1], a["id"], b["id"])
            if best is None or key < best:
                best = key
    ids = []
    for car_id, (city, start, end) in zip(best[1:], {{LEGS}}):
        ids.append(tools.create_reservation(customer_id=cust["id"], car_id=car_id,
                                            start_date=start, end_date=end)["id"])
    return {"reservation_ids": ids}
"""
L4_PERTURBED = L4_SOLVE.replace("if {{SAME_CLASS}} and", "if False and")
L4_VERIFY = (
    V_HELPERS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("reservation_ids"), 2):
        return False, "answer must be an object with a list of two reservation ids"
    new = {r["id"]: r for r in _new(db, {{NAME}})}
    if sorted(new) != sorted(answer["reservation_ids"]):
        return False, "the answered ids must be exactly the customer's new reservations"
    rows = [new[i] for i in answer["reservation_ids"]]
    for r, (city, start, end) in zip(rows, {{LEGS}}):
        if (r["city"], r["start_date"], r["end_date"]) != (city, start, end):
            return False, f"the reservations must be in {city} from {start} to {end}, in order"
        if r["seats"] < {{SEATS}}:
            return False, "every car must seat {{SEATS}}"
        broken = _sound(db, r)
        if broken:
            return False, broken
    if rows[0]["car_class"] != rows[1]["car_class"]:
        return False, "both cars must be of the same class"
    total = rows[0]["total_price"] + rows[1]["total_price"]
    if total > {{BUDGET}}:
        return False, f"the two rentals cost {total}, over {{BUDGET}}"
    return True, "two-city trip within budget"
"""
)

L5_SOLVE = """
def solve(tools):
    cust = tools.find_customer(name={{NAME}})
    res = next(r for r in tools.list_reservations(customer_id=cust["id"]) if r["status"] == "active")
    free = tools.search_available_cars(branch_id=res["branch_id"], start_date=res["end_date"],
                                       end_date={{NEW_END}})
    if any(c["id"] == res["car_id"] for c in free):
        out = tools.extend_reservation(reservation_id=res["id"], new_end_date={{NEW_END}})
        return {"reservation_id": out["id"]}
    tools.cancel_reservation(reservation_id=res["id"])
    cars = tools.search_available_cars(branch_id=res["branch_id"], start_date=res["start_date"],
                                       end_date={{NEW_END}}, car_class=res["car_class"])
    best = min(cars, key=lambda c: (c["daily_rate"], c["id"]))
    new = tools.create_reservation(customer_id=cust["id"], car_id=best["id"],
                                   start_date=res["start_date"], end_date={{NEW_END}})
    return {"reservation_id": new["id"]}
"""
L5_PERTURBED = """
def solve(tools):
    # never tries to extend; rebooks the cheapest free car of any class
    cust = tools.find_customer(name={{NAME}})
    res = next(r for r in tools.list_reservations(customer_id=cust["id"]) if r["status"] == "active")
    tools.cancel_reservation(reservation_id=res["id"])
    cars = tools.search_available_cars(branch_id=res["branch_id"], start_date=res["start_date"],
                                       end_date={{NEW_END}})
    if cust["age"] < 25:
        cars = [c for c in cars if c["car_class"] not in ("premium", "luxury")]
    best = min(cars, key=lambda c: (c["daily_rate"], c["id"]))
    new = tools.create_reservation(customer_id=cust["id"], car_id=best["id"],
                                   start_date=res["start_date"], end_date={{NEW_END}})
    return {"reservation_id": new["id"]}
"""
L5_VERIFY = (
    V_HELPERS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("reservation_id")):
        return False, "answer must be an object with an integer 'reservation_id'"
    old = db.execute("SELECT r.*, c.branch_id, c.car_class, c.daily_rate, u.age FROM reservations r"
                     " JOIN cars c ON c.id = r.car_id JOIN customers u ON u.id = r.customer_id"
                     " WHERE r.id = ?", ({{OLD_ID}},)).fetchone()
    new = _new(db, {{NAME}})
    extendable = _free(db, old["car_id"], {{OLD_END}}, {{NEW_END}}, ({{OLD_ID}},))
    if extendable:
        if answer["reservation_id"] != {{OLD_ID}} or new:
            return False, "the car was free: the same reservation must be extended"
        if old["status"] != "active" or old["end_date"] != {{NEW_END}}:
            return False, "the reservation must stay active and end on {{NEW_END}}"
        broken = _sound(db, old)
        return (False, broken) if broken else (True, "reservation extended")
    if old["status"] != "cancelled":
        return False, "the car was taken: the old reservation must be cancelled"
    if len(new) != 1 or new[0]["id"] != answer["reservation_id"]:
        return False, "expected exactly one new active reservation, the answered one"
    r = new[0]
    if (r["start_date"], r["end_date"]) != (old["start_date"], {{NEW_END}}):
        return False, "the new reservation must cover the original start to {{NEW_END}}"
    if r["branch_id"] != old["branch_id"] or r["car_class"] != old["car_class"]:
        return False, "the new car must be of the same class at the same branch"
    broken = _sound(db, r)
    if broken:
        return False, broken
    ok = [c for c in _cars(db, "c.branch_id = ? AND c.car_class = ?", (old["branch_id"], old["car_class"]))
          if _free(db, c["id"], old["start_date"], {{NEW_END}}, (r["id"],))]
    if r["daily_rate"] > min(c["daily_rate"] for c in ok):
        return False, "a cheaper car of the same class was free"
    return True, "rebooked the cheapest car of the same class"
"""
)
