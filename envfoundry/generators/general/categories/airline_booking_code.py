"""Generated-code templates of the airline_booking category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, STR, tool

SCHEMA_SQL = """
CREATE TABLE airports (iata TEXT PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,
  country TEXT NOT NULL);
CREATE TABLE flights (id INTEGER PRIMARY KEY, flight_no TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL REFERENCES airports(iata), destination TEXT NOT NULL REFERENCES airports(iata),
  departure TEXT NOT NULL, arrival TEXT NOT NULL, status TEXT NOT NULL,
  economy_fare INTEGER NOT NULL, business_fare INTEGER NOT NULL,
  economy_seats_left INTEGER NOT NULL, business_seats_left INTEGER NOT NULL);
CREATE TABLE passengers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, tier TEXT NOT NULL,
  miles INTEGER NOT NULL);
CREATE TABLE bookings (id INTEGER PRIMARY KEY, passenger_id INTEGER NOT NULL
  REFERENCES passengers(id), flight_id INTEGER NOT NULL REFERENCES flights(id),
  cabin TEXT NOT NULL, price_paid INTEGER NOT NULL, change_fee INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL);
"""

TOOLS_V1 = '''
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
    if not isinstance(date, str) or not re.fullmatch(r"\\d{4}-\\d{2}-\\d{2}", date):
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
'''

TOOLS_V2_EXTRA = '''
def change_booking(db, booking_id, new_flight_id):
    """Move an active booking to another scheduled flight on the same route, same cabin and
    same booking id. Charges the fare difference (if higher) plus a 75 change fee (waived for
    gold members)."""
    b = _booking(db, booking_id)
    if b["status"] != "active":
        raise ValueError(f"booking {booking_id} is {b['status']}")
    old = _flight_row(db, b["flight_id"])
    new = _flight_row(db, new_flight_id)
    if (new["origin"], new["destination"]) != (old["origin"], old["destination"]):
        raise ValueError("the new flight must fly the same route")
    if new["id"] == old["id"]:
        raise ValueError("the booking is already on this flight")
    if new["status"] != "scheduled":
        raise ValueError(f"flight {new_flight_id} is {new['status']}")
    cabin = b["cabin"]
    if new[f"{cabin}_seats_left"] < 1:
        raise ValueError(f"flight {new_flight_id} has no {cabin} seat left")
    fee = 0 if _passenger(db, b["passenger_id"])["tier"] == "gold" else CHANGE_FEE
    fare = new[f"{cabin}_fare"]
    due = max(0, fare - b["price_paid"]) + fee
    db.execute("UPDATE bookings SET flight_id = ?, price_paid = ?, change_fee = change_fee + ?"
               " WHERE id = ?", (new["id"], max(fare, b["price_paid"]), fee, booking_id))
    _seat(db, old["id"], cabin, 1)
    _seat(db, new["id"], cabin, -1)
    return {"booking_id": booking_id, "flight_id": new["id"], "amount_due": due}
'''

TOOLS_V1_SPECS = (
    tool("list_airports", "List every airport served: iata, name, city, country."),
    tool(
        "search_flights",
        "Direct flights origin -> destination departing on a date (UTC), with status "
        "('scheduled' or 'cancelled'), fares and seats left per cabin.",
        {
            "origin": {**STR, "description": "IATA code."},
            "destination": {**STR, "description": "IATA code."},
            "date": {**STR, "description": "Departure date YYYY-MM-DD (UTC)."},
        },
        ["origin", "destination", "date"],
    ),
    tool("get_flight", "One flight by id.", {"flight_id": INT}, ["flight_id"]),
    tool(
        "find_passenger",
        "Find a passenger by full name: id, tier ('basic', 'silver', 'gold') and miles.",
        {"name": STR},
        ["name"],
    ),
    tool(
        "list_bookings",
        "A passenger's bookings (active and cancelled) with flight details and flight_status.",
        {"passenger_id": INT},
        ["passenger_id"],
    ),
    tool(
        "book_flight",
        "Book one seat on a scheduled flight in 'economy' or 'business' at the current fare. "
        "Fails when the cabin is full.",
        {
            "passenger_id": INT,
            "flight_id": INT,
            "cabin": {"type": "string", "enum": ["economy", "business"]},
        },
        ["passenger_id", "flight_id", "cabin"],
        mutates=True,
    ),
    tool(
        "cancel_booking",
        "Cancel an active booking and release its seat; returns the refund.",
        {"booking_id": INT},
        ["booking_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "change_booking",
        "Move an active booking (keeping its id and cabin) to another scheduled flight on the "
        "same route; charges the fare difference plus a 75 change fee (waived for gold).",
        {"booking_id": INT, "new_flight_id": INT},
        ["booking_id", "new_flight_id"],
        mutates=True,
    ),
)

S_CODES = """
import datetime


def _codes(tools):
    return {a["city"]: a["iata"] for a in tools.list_airports()}


def _t(stamp):
    return datetime.datetime.fromisoformat(stamp)
"""

L1_SOLVE = (
    S_CODES
    + """

def solve(tools):
    c = _codes(tools)
    flights = tools.search_flights(origin=c[{{ORIGIN}}], destination=c[{{DEST}}], date={{DATE}})
    ok = [f for f in flights if f["status"] == "scheduled" and f["economy_seats_left"] > 0]
    return {"flight_id": min(ok, key=lambda f: (f["economy_fare"], f["flight_id"]))["flight_id"]}
"""
)
L1_PERTURBED = (
    S_CODES
    + """

def solve(tools):
    c = _codes(tools)
    flights = tools.search_flights(origin=c[{{ORIGIN}}], destination=c[{{DEST}}], date={{DATE}})
    return {"flight_id": min(flights, key=lambda f: (f["economy_fare"], f["flight_id"]))["flight_id"]}
"""
)
L1_VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("flight_id")):
        return False, "answer must be an object with an integer 'flight_id'"
    rows = db.execute(
        "SELECT f.* FROM flights f JOIN airports o ON o.iata = f.origin"
        " JOIN airports d ON d.iata = f.destination WHERE o.city = ? AND d.city = ?"
        " AND substr(f.departure, 1, 10) = ? AND f.status = 'scheduled'"
        " AND f.economy_seats_left > 0", ({{ORIGIN}}, {{DEST}}, {{DATE}})).fetchall()
    pick = [r for r in rows if r["id"] == answer["flight_id"]]
    if not pick:
        return False, "not a scheduled flight with economy seats on the asked route and date"
    if pick[0]["economy_fare"] > min(r["economy_fare"] for r in rows):
        return False, "a cheaper bookable economy fare exists"
    return True, "cheapest bookable economy flight"
"""

# Shared verifier helpers: the seat counters of the task's flights match their bookings.
V_COUNTERS = """
INIT = {{INIT}}
MAX_BOOKING = {{MAX_BOOKING}}


def _counters_ok(db):
    for fid, (el, bl, ae, ab) in INIT.items():
        row = db.execute("SELECT economy_seats_left AS e, business_seats_left AS b FROM flights"
                         " WHERE id = ?", (fid,)).fetchone()
        n = {}
        for cabin in ("economy", "business"):
            n[cabin] = db.execute("SELECT COUNT(*) FROM bookings WHERE flight_id = ? AND cabin = ?"
                                  " AND status = 'active'", (fid, cabin)).fetchone()[0]
        if row["e"] != el - (n["economy"] - ae) or row["b"] != bl - (n["business"] - ab):
            return False
    return True


def _new_active(db, name):
    return db.execute(
        "SELECT b.*, f.origin, f.destination, f.departure, f.arrival, f.status AS fstatus,"
        " f.economy_fare, f.business_fare FROM bookings b JOIN flights f ON f.id = b.flight_id"
        " JOIN passengers p ON p.id = b.passenger_id WHERE p.name = ? AND b.id > ?"
        " AND b.status = 'active' ORDER BY b.id", (name, MAX_BOOKING)).fetchall()


def _route(db, origin_city, dest_city, date):
    return db.execute(
        "SELECT f.* FROM flights f JOIN airports o ON o.iata = f.origin"
        " JOIN airports d ON d.iata = f.destination WHERE o.city = ? AND d.city = ?"
        " AND substr(f.departure, 1, 10) = ? AND f.status = 'scheduled' ORDER BY f.departure",
        (origin_city, dest_city, date)).fetchall()
"""

L2_SOLVE = (
    S_CODES
    + """

def solve(tools):
    c = _codes(tools)
    pid = tools.find_passenger(name={{NAME}})["id"]
    flights = tools.search_flights(origin=c[{{ORIGIN}}], destination=c[{{DEST}}], date={{DATE}})
    ok = [f for f in flights if f["status"] == "scheduled" and f["business_seats_left"] > 0
          and f["business_fare"] <= {{CAP}}]
    best = min(ok, key=lambda f: (f["departure"], f["flight_id"]))
    b = tools.book_flight(passenger_id=pid, flight_id=best["flight_id"], cabin="business")
    return {"booking_id": b["booking_id"]}
"""
)
L2_PERTURBED = (
    S_CODES
    + """

def solve(tools):
    # forgets the fare cap
    c = _codes(tools)
    pid = tools.find_passenger(name={{NAME}})["id"]
    flights = tools.search_flights(origin=c[{{ORIGIN}}], destination=c[{{DEST}}], date={{DATE}})
    ok = [f for f in flights if f["status"] == "scheduled" and f["business_seats_left"] > 0]
    best = min(ok, key=lambda f: (f["departure"], f["flight_id"]))
    b = tools.book_flight(passenger_id=pid, flight_id=best["flight_id"], cabin="business")
    return {"booking_id": b["booking_id"]}
"""
)
L2_VERIFY = (
    V_COUNTERS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("booking_id")):
        return False, "answer must be an object with an integer 'booking_id'"
    new = _new_active(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["booking_id"]:
        return False, "expected exactly one new active booking for the passenger, the answered one"
    b = new[0]
    ok = [f for f in _route(db, {{ORIGIN}}, {{DEST}}, {{DATE}})
          if f["business_fare"] <= {{CAP}} and f["id"] in INIT and INIT[f["id"]][1] > 0]
    if b["cabin"] != "business" or b["flight_id"] not in [f["id"] for f in ok]:
        return False, "the booking is not a business seat on a qualifying flight"
    if b["departure"] > min(f["departure"] for f in ok):
        return False, "an earlier qualifying flight was available"
    if not _counters_ok(db):
        return False, "seat counters do not match the bookings"
    return True, "earliest qualifying business seat booked"
"""
)

L3_SOLVE = (
    S_CODES
    + """

def solve(tools):
    c = _codes(tools)
    pid = tools.find_passenger(name={{NAME}})["id"]
    a, z = c[{{ORIGIN}}], c[{{DEST}}]
    best = None
    for hub in sorted(set(c.values()) - {a, z}):
        first = tools.search_flights(origin=a, destination=hub, date={{DATE}})
        second = tools.search_flights(origin=hub, destination=z, date={{DATE}})
        for f in first:
            for g in second:
                if f["status"] != "scheduled" or g["status"] != "scheduled":
                    continue
                if f["economy_seats_left"] < 1 or g["economy_seats_left"] < 1:
                    continue
                gap = (_t(g["departure"]) - _t(f["arrival"])).total_seconds() / 60
                if not {{MIN_GAP}} <= gap <= {{MAX_GAP}}:
                    continue
                key = (f["economy_fare"] + g["economy_fare"], f["flight_id"], g["flight_id"])
                if best is None or key < best:
                    best = key
    ids = []
    for fid in best[1:]:
        ids.append(tools.book_flight(passenger_id=pid, flight_id=fid, cabin="economy")["booking_id"])
    return {"booking_ids": ids}
"""
)
L3_PERTURBED = L3_SOLVE.replace("{{MIN_GAP}} <= gap", "0 <= gap")
L3_VERIFY = (
    V_COUNTERS
    + """
import datetime


def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("booking_ids"), 2):
        return False, "answer must be an object with a list of two booking ids"
    new = _new_active(db, {{NAME}})
    if sorted(b["id"] for b in new) != sorted(answer["booking_ids"]):
        return False, "the answered ids must be exactly the passenger's new active bookings"
    by_id = {b["id"]: b for b in new}
    f, g = by_id[answer["booking_ids"][0]], by_id[answer["booking_ids"][1]]
    first = [r for r in db.execute("SELECT * FROM airports WHERE city = ?", ({{ORIGIN}},))]
    last = [r for r in db.execute("SELECT * FROM airports WHERE city = ?", ({{DEST}},))]
    if f["origin"] != first[0]["iata"] or g["destination"] != last[0]["iata"]:
        return False, "the legs must start at the origin and end at the destination"
    if f["destination"] != g["origin"] or f["cabin"] != "economy" or g["cabin"] != "economy":
        return False, "two economy legs must connect at one airport"
    if f["departure"][:10] != {{DATE}} or g["departure"][:10] != {{DATE}}:
        return False, "both legs must depart on {{DATE}}"
    t = datetime.datetime.fromisoformat
    gap = (t(g["departure"]) - t(f["arrival"])).total_seconds() / 60
    if not {{MIN_GAP}} <= gap <= {{MAX_GAP}}:
        return False, f"layover of {gap:.0f} minutes is outside {{MIN_GAP}}-{{MAX_GAP}}"
    legs = db.execute("SELECT * FROM flights WHERE substr(departure, 1, 10) = ?"
                      " AND status = 'scheduled'", ({{DATE}},)).fetchall()
    ones = [x for x in legs if x["origin"] == first[0]["iata"] and INIT.get(x["id"], (0,))[0] > 0]
    twos = [x for x in legs if x["destination"] == last[0]["iata"] and INIT.get(x["id"], (0,))[0] > 0]
    best = min(x["economy_fare"] + y["economy_fare"] for x in ones for y in twos
               if x["destination"] == y["origin"]
               and {{MIN_GAP}} <= (t(y["departure"]) - t(x["arrival"])).total_seconds() / 60 <= {{MAX_GAP}})
    if f["economy_fare"] + g["economy_fare"] > best:
        return False, f"a cheaper valid connection costs {best}"
    if not _counters_ok(db):
        return False, "seat counters do not match the bookings"
    return True, "cheapest valid connection booked"
"""
)

L4_SOLVE = """
def solve(tools):
    p = tools.find_passenger(name={{NAME}})
    old = next(b for b in tools.list_bookings(passenger_id=p["id"])
               if b["status"] == "active" and b["flight_status"] == "cancelled")
    cabin = "business" if p["tier"] == "gold" else old["cabin"]
    day = old["departure"][:10]
    options = []
    for date in {{DATES}}:
        for f in tools.search_flights(origin=old["origin"], destination=old["destination"], date=date):
            if f["status"] == "scheduled" and f[cabin + "_seats_left"] > 0 \\
                    and f["departure"] > old["departure"]:
                options.append(f)
    best = min(options, key=lambda f: (f["departure"], f["flight_id"]))
    tools.cancel_booking(booking_id=old["booking_id"])
    b = tools.book_flight(passenger_id=p["id"], flight_id=best["flight_id"], cabin=cabin)
    return {"booking_id": b["booking_id"]}
"""
# forgets to cancel the booking on the cancelled flight
L4_PERTURBED = L4_SOLVE.replace('    tools.cancel_booking(booking_id=old["booking_id"])\n', "")
L4_VERIFY = (
    V_COUNTERS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("booking_id")):
        return False, "answer must be an object with an integer 'booking_id'"
    old = db.execute("SELECT b.*, f.origin, f.destination, f.departure FROM bookings b"
                     " JOIN flights f ON f.id = b.flight_id WHERE b.id = ?", ({{OLD_ID}},)).fetchone()
    if old["status"] != "cancelled":
        return False, "the booking on the cancelled flight must be cancelled"
    new = _new_active(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["booking_id"]:
        return False, "expected exactly one new active booking, the answered one"
    b = new[0]
    tier = db.execute("SELECT tier FROM passengers WHERE name = ?", ({{NAME}},)).fetchone()[0]
    cabin = "business" if tier == "gold" else old["cabin"]
    if b["cabin"] != cabin:
        return False, f"a {tier} passenger is rebooked in {cabin}"
    slot = 0 if cabin == "economy" else 1
    ok = [f for f in db.execute(
        "SELECT * FROM flights WHERE origin = ? AND destination = ? AND status = 'scheduled'"
        " AND departure > ?", (old["origin"], old["destination"], old["departure"]))
        if f["departure"][:10] in {{DATES}} and f["id"] in INIT and INIT[f["id"]][slot] > 0]
    if b["flight_id"] not in [f["id"] for f in ok]:
        return False, "the new flight does not qualify"
    if b["departure"] > min(f["departure"] for f in ok):
        return False, "an earlier qualifying flight was available"
    if not _counters_ok(db):
        return False, "seat counters do not match the bookings"
    return True, "rebooked on the earliest qualifying flight"
"""
)

L5_SOLVE = (
    S_CODES
    + """
WINDOWS = True


def solve(tools):
    p = tools.find_passenger(name={{NAME}})
    active = [b for b in tools.list_bookings(passenger_id=p["id"]) if b["status"] == "active"]
    ids = []
    for b in sorted(active, key=lambda b: b["departure"]):
        day = _t(b["departure"]).date() + datetime.timedelta(days=1)
        flights = tools.search_flights(origin=b["origin"], destination=b["destination"],
                                       date=day.isoformat())
        ok = [f for f in flights if f["status"] == "scheduled"
              and f[b["cabin"] + "_seats_left"] > 0 and f["flight_id"] != b["flight_id"]]
        if WINDOWS:
            if b["origin"] == {{HOME}}:
                ok = [f for f in ok if f["arrival"] <= day.isoformat() + "T18:00"]
            else:
                ok = [f for f in ok if f["departure"] >= day.isoformat() + "T12:00"]
        best = min(ok, key=lambda f: (f[b["cabin"] + "_fare"], f["flight_id"]))
        tools.change_booking(booking_id=b["booking_id"], new_flight_id=best["flight_id"])
        ids.append(b["booking_id"])
    return {"booking_ids": ids}
"""
)
# ignores the arrival / departure time windows
L5_PERTURBED = L5_SOLVE.replace("WINDOWS = True", "WINDOWS = False")
L5_VERIFY = (
    V_COUNTERS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("booking_ids"), 2):
        return False, "answer must be an object with a list of two booking ids"
    if sorted(answer["booking_ids"]) != sorted({{IDS}}):
        return False, "the answer must list the two bookings of the round trip"
    if _new_active(db, {{NAME}}):
        return False, "the round trip must be changed in place, not rebooked"
    for bid, (origin, dest, day, late) in zip({{IDS}}, {{LEGS}}):
        b = db.execute("SELECT b.*, f.origin, f.destination, f.departure, f.arrival, f.status AS fs"
                       " FROM bookings b JOIN flights f ON f.id = b.flight_id WHERE b.id = ?",
                       (bid,)).fetchone()
        if b["status"] != "active" or b["cabin"] != "economy":
            return False, f"booking {bid} must stay an active economy booking"
        if (b["origin"], b["destination"]) != (origin, dest) or b["departure"][:10] != day:
            return False, f"booking {bid} must fly {origin}-{dest} on {day}"
        ok = [f for f in db.execute(
            "SELECT * FROM flights WHERE origin = ? AND destination = ? AND status = 'scheduled'"
            " AND substr(departure, 1, 10) = ?", (origin, dest, day))
            if f["id"] in INIT and INIT[f["id"]][0] > 0
            and (f["arrival"] <= day + "T18:00" if not late else f["departure"] >= day + "T12:00")]
        if b["flight_id"] not in [f["id"] for f in ok]:
            return False, f"booking {bid} is on a flight outside the time window"
        if db.execute("SELECT economy_fare FROM flights WHERE id = ?", (b["flight_id"],)).fetchone()[0] \\
                > min(f["economy_fare"] for f in ok):
            return False, f"booking {bid}: a cheaper flight fits the time window"
    if not _counters_ok(db):
        return False, "seat counters do not match the bookings"
    return True, "round trip moved by one day"
"""
)
