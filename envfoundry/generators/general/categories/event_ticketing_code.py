"""Generated-code templates of the event_ticketing category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, STR, tool

SCHEMA_SQL = """
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE venues (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT NOT NULL,
  capacity INTEGER NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT NOT NULL, category TEXT NOT NULL,
  performer TEXT NOT NULL, venue_id INTEGER NOT NULL REFERENCES venues(id), date TEXT NOT NULL,
  time TEXT NOT NULL, refundable INTEGER NOT NULL);
CREATE TABLE sections (event_id INTEGER NOT NULL REFERENCES events(id), name TEXT NOT NULL,
  price INTEGER NOT NULL, seats_left INTEGER NOT NULL, PRIMARY KEY (event_id, name));
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, email TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
  event_id INTEGER NOT NULL REFERENCES events(id), section TEXT NOT NULL, quantity INTEGER NOT NULL,
  total INTEGER NOT NULL, status TEXT NOT NULL, transferred_from INTEGER);
"""

TOOLS_V1 = '''
"""Event ticketing tools: events in venues, sections with prices and seats, ticket orders.
A customer may hold at most 8 tickets per event."""

import re

MAX_PER_EVENT = 8


def _int(value, what):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be an integer")
    return value


def _date(value, what):
    if not isinstance(value, str) or not re.fullmatch(r"\\d{4}-\\d{2}-\\d{2}", value):
        raise ValueError(f"{what} must be YYYY-MM-DD, got {value!r}")
    return value


def _get(db, table, key, what):
    row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (_int(key, what),)).fetchone()
    if row is None:
        raise ValueError(f"no {table[:-1]} with id {key}")
    return row


def _today(db):
    return db.execute("SELECT value FROM settings WHERE key = 'today'").fetchone()[0]


def search_events(db, city, category=None, date_from=None, date_to=None):
    """Events in a city (optionally one category and a date range), by date and time."""
    sql = ("SELECT e.id, e.title, e.category, e.performer, e.date, e.time, e.refundable,"
           " v.name AS venue, v.id AS venue_id FROM events e JOIN venues v ON v.id = e.venue_id"
           " WHERE v.city = ?")
    args = [city]
    if category is not None:
        sql, args = sql + " AND e.category = ?", args + [category]
    if date_from is not None:
        sql, args = sql + " AND e.date >= ?", args + [_date(date_from, "date_from")]
    if date_to is not None:
        sql, args = sql + " AND e.date <= ?", args + [_date(date_to, "date_to")]
    return [dict(r) for r in db.execute(sql + " ORDER BY e.date, e.time, e.id", args)]


def get_event(db, event_id):
    """One event with its venue and sections (name, price, seats_left)."""
    e = dict(_get(db, "events", event_id, "event_id"))
    v = _get(db, "venues", e["venue_id"], "venue_id")
    e["venue"], e["city"] = v["name"], v["city"]
    e["sections"] = [dict(r) for r in db.execute(
        "SELECT name, price, seats_left FROM sections WHERE event_id = ? ORDER BY price DESC, name",
        (event_id,))]
    return e


def find_customer(db, name):
    """A customer by full name."""
    row = db.execute("SELECT * FROM customers WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no customer named {name!r}")
    return dict(row)


def list_orders(db, customer_id):
    """A customer's ticket orders with event title, date and refundable flag."""
    _get(db, "customers", customer_id, "customer_id")
    rows = db.execute(
        "SELECT o.*, e.title, e.date, e.refundable FROM orders o JOIN events e ON e.id = o.event_id"
        " WHERE o.customer_id = ? ORDER BY o.id", (customer_id,))
    return [dict(r) for r in rows]


def purchase_tickets(db, customer_id, event_id, section, quantity):
    """Buy tickets in one section of an upcoming event; returns the order."""
    _get(db, "customers", customer_id, "customer_id")
    event = _get(db, "events", event_id, "event_id")
    qty = _int(quantity, "quantity")
    if not 1 <= qty <= MAX_PER_EVENT:
        raise ValueError(f"quantity must be 1-{MAX_PER_EVENT}")
    if event["date"] < _today(db):
        raise ValueError("the event is over")
    sec = db.execute("SELECT * FROM sections WHERE event_id = ? AND name = ?",
                     (event_id, section)).fetchone()
    if sec is None:
        raise ValueError(f"event {event_id} has no section {section!r}")
    if sec["seats_left"] < qty:
        raise ValueError(f"only {sec['seats_left']} seats left in {section}")
    held = db.execute("SELECT COALESCE(SUM(quantity), 0) FROM orders WHERE customer_id = ?"
                      " AND event_id = ? AND status = 'active'", (customer_id, event_id)).fetchone()[0]
    if held + qty > MAX_PER_EVENT:
        raise ValueError(f"at most {MAX_PER_EVENT} tickets per customer and event")
    db.execute("UPDATE sections SET seats_left = seats_left - ? WHERE event_id = ? AND name = ?",
               (qty, event_id, section))
    cur = db.execute("INSERT INTO orders (customer_id, event_id, section, quantity, total, status)"
                     " VALUES (?, ?, ?, ?, ?, 'active')",
                     (customer_id, event_id, section, qty, qty * sec["price"]))
    return dict(_get(db, "orders", cur.lastrowid, "order_id"))


def refund_order(db, order_id):
    """Refund an active order of a refundable, upcoming event; the seats go back on sale."""
    order = _get(db, "orders", order_id, "order_id")
    if order["status"] != "active":
        raise ValueError(f"order {order_id} is {order['status']}")
    event = _get(db, "events", order["event_id"], "event_id")
    if not event["refundable"]:
        raise ValueError("tickets for this event are not refundable")
    if event["date"] < _today(db):
        raise ValueError("the event is over")
    db.execute("UPDATE orders SET status = 'refunded' WHERE id = ?", (order_id,))
    db.execute("UPDATE sections SET seats_left = seats_left + ? WHERE event_id = ? AND name = ?",
               (order["quantity"], order["event_id"], order["section"]))
    return {"order_id": order_id, "status": "refunded", "refund": order["total"]}
'''

TOOLS_V2_EXTRA = '''
def transfer_order(db, order_id, to_customer_id):
    """Give an active order's tickets to another customer (the order keeps its id)."""
    order = _get(db, "orders", order_id, "order_id")
    _get(db, "customers", to_customer_id, "to_customer_id")
    if order["status"] != "active":
        raise ValueError(f"order {order_id} is {order['status']}")
    if to_customer_id == order["customer_id"]:
        raise ValueError("the tickets already belong to that customer")
    db.execute("UPDATE orders SET customer_id = ?, transferred_from = ? WHERE id = ?",
               (to_customer_id, order["customer_id"], order_id))
    return dict(_get(db, "orders", order_id, "order_id"))
'''

TOOLS_V1_SPECS = (
    tool(
        "search_events",
        "Events in a city; optional category ('concert', 'theatre', 'sports', 'comedy') and "
        "date range (inclusive, YYYY-MM-DD).",
        {"city": STR, "category": STR, "date_from": STR, "date_to": STR},
        ["city"],
    ),
    tool(
        "get_event",
        "One event with venue and sections (name, price, seats_left).",
        {"event_id": INT},
        ["event_id"],
    ),
    tool("find_customer", "Find a customer by full name.", {"name": STR}, ["name"]),
    tool("list_orders", "A customer's ticket orders.", {"customer_id": INT}, ["customer_id"]),
    tool(
        "purchase_tickets",
        "Buy 1-8 tickets in one section of an upcoming event (max 8 per customer and event).",
        {
            "customer_id": INT,
            "event_id": INT,
            "section": STR,
            "quantity": {"type": "integer", "minimum": 1, "maximum": 8},
        },
        ["customer_id", "event_id", "section", "quantity"],
        mutates=True,
    ),
    tool(
        "refund_order",
        "Refund an active order of a refundable upcoming event.",
        {"order_id": INT},
        ["order_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "transfer_order",
        "Transfer an active order's tickets to another customer; the order keeps its id.",
        {"order_id": INT, "to_customer_id": INT},
        ["order_id", "to_customer_id"],
        mutates=True,
    ),
)

S_CHEAPEST = '''
def _cheapest(tools, event_id, qty, cap=None):
    """The cheapest section of an event with qty seats (and price <= cap), or None."""
    ok = [s for s in tools.get_event(event_id=event_id)["sections"]
          if s["seats_left"] >= qty and (cap is None or s["price"] <= cap)]
    return min(ok, key=lambda s: (s["price"], s["name"])) if ok else None
'''

L1_SOLVE = (
    S_CHEAPEST
    + """

def solve(tools):
    best = None
    for e in tools.search_events(city={{CITY}}, category={{CATEGORY}}, date_from={{D1}}, date_to={{D2}}):
        s = _cheapest(tools, e["id"], {{QTY}})
        if s and (best is None or (s["price"], e["id"]) < best[0]):
            best = ((s["price"], e["id"]), e["id"], s["name"])
    return {"event_id": best[1], "section": best[2]}
"""
)
L1_PERTURBED = L1_SOLVE.replace(
    '_cheapest(tools, e["id"], {{QTY}})', '_cheapest(tools, e["id"], 0)'
)
L1_VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("event_id")) \\
            or not isinstance(answer.get("section"), str):
        return False, "answer must be an object with 'event_id' and 'section'"
    rows = db.execute(
        "SELECT s.*, e.id AS eid FROM sections s JOIN events e ON e.id = s.event_id"
        " JOIN venues v ON v.id = e.venue_id WHERE v.city = ? AND e.category = ?"
        " AND e.date BETWEEN ? AND ? AND s.seats_left >= ?",
        ({{CITY}}, {{CATEGORY}}, {{D1}}, {{D2}}, {{QTY}})).fetchall()
    pick = [r for r in rows if r["eid"] == answer["event_id"] and r["name"] == answer["section"]]
    if not pick:
        return False, "not a section of a matching event with {{QTY}} seats left"
    if pick[0]["price"] > min(r["price"] for r in rows):
        return False, "a cheaper section qualifies"
    return True, "cheapest qualifying section"
"""

V_SEATS = """
INIT = {{INIT}}
MAX_ORDER = {{MAX_ORDER}}


def _seats_ok(db):
    for eid, sections in INIT.items():
        for name, (left, held) in sections.items():
            now = db.execute("SELECT seats_left FROM sections WHERE event_id = ? AND name = ?",
                             (eid, name)).fetchone()[0]
            active = db.execute("SELECT COALESCE(SUM(quantity), 0) FROM orders WHERE event_id = ?"
                                " AND section = ? AND status = 'active'", (eid, name)).fetchone()[0]
            if now != left - (active - held):
                return False
    return True


def _new(db, name):
    return db.execute("SELECT o.*, e.date, e.category, e.venue_id, e.time FROM orders o"
                      " JOIN events e ON e.id = o.event_id JOIN customers c ON c.id = o.customer_id"
                      " WHERE c.name = ? AND o.id > ? AND o.status = 'active' ORDER BY o.id",
                      (name, MAX_ORDER)).fetchall()


def _sections(db, eid, qty, cap=None):
    return [r for r in db.execute("SELECT * FROM sections WHERE event_id = ?", (eid,))
            if INIT[eid][r["name"]][0] >= qty and (cap is None or r["price"] <= cap)]
"""

L2_SOLVE = (
    S_CHEAPEST
    + """

def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    for e in tools.search_events(city={{CITY}}, category={{CATEGORY}}, date_from={{D1}}):
        s = _cheapest(tools, e["id"], {{QTY}}, {{CAP}})
        if s:
            order = tools.purchase_tickets(customer_id=cid, event_id=e["id"], section=s["name"],
                                           quantity={{QTY}})
            return {"order_id": order["id"]}
"""
)
L2_PERTURBED = L2_SOLVE.replace("{{QTY}}, {{CAP}})", "{{QTY}})")
L2_VERIFY = (
    V_SEATS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("order_id")):
        return False, "answer must be an object with an integer 'order_id'"
    new = _new(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["order_id"] or new[0]["quantity"] != {{QTY}}:
        return False, "expected exactly one new order of {{QTY}} tickets, the answered one"
    o = new[0]
    events = db.execute("SELECT e.* FROM events e JOIN venues v ON v.id = e.venue_id WHERE v.city = ?"
                        " AND e.category = ? AND e.date >= ? ORDER BY e.date, e.time, e.id",
                        ({{CITY}}, {{CATEGORY}}, {{D1}})).fetchall()
    first = next((e for e in events if e["id"] in INIT and _sections(db, e["id"], {{QTY}}, {{CAP}})), None)
    if first is None or o["event_id"] != first["id"]:
        return False, "not the earliest event with a section of {{QTY}} seats at most {{CAP}}"
    ok = _sections(db, o["event_id"], {{QTY}}, {{CAP}})
    price = [r["price"] for r in ok if r["name"] == o["section"]]
    if not price or price[0] > min(r["price"] for r in ok):
        return False, "not the cheapest qualifying section"
    if not _seats_ok(db):
        return False, "seat counts do not match the orders"
    return True, "earliest event, cheapest section"
"""
)

L3_SOLVE = """
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    sections = tools.get_event(event_id={{EVENT}})["sections"]
    pref = next(s for s in sections if s["name"] == {{SECTION}})
    if pref["seats_left"] >= {{QTY}}:
        pick = pref
    else:
        ok = [s for s in sections if s["seats_left"] >= {{QTY}}]
        pick = min(ok, key=lambda s: (abs(s["price"] - pref["price"]), s["price"], s["name"]))
    order = tools.purchase_tickets(customer_id=cid, event_id={{EVENT}}, section=pick["name"],
                                   quantity={{QTY}})
    return {"order_id": order["id"]}
"""
L3_PERTURBED = """
def solve(tools):
    # ignores the preferred section: cheapest section with enough seats
    cid = tools.find_customer(name={{NAME}})["id"]
    ok = [s for s in tools.get_event(event_id={{EVENT}})["sections"] if s["seats_left"] >= {{QTY}}]
    pick = min(ok, key=lambda s: (s["price"], s["name"]))
    order = tools.purchase_tickets(customer_id=cid, event_id={{EVENT}}, section=pick["name"],
                                   quantity={{QTY}})
    return {"order_id": order["id"]}
"""
L3_VERIFY = (
    V_SEATS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("order_id")):
        return False, "answer must be an object with an integer 'order_id'"
    new = _new(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["order_id"]:
        return False, "expected exactly one new order, the answered one"
    o = new[0]
    if o["event_id"] != {{EVENT}} or o["quantity"] != {{QTY}}:
        return False, "the order must be {{QTY}} tickets for event {{EVENT}}"
    ok = _sections(db, {{EVENT}}, {{QTY}})
    pref = db.execute("SELECT price FROM sections WHERE event_id = ? AND name = ?",
                      ({{EVENT}}, {{SECTION}})).fetchone()[0]
    if {{SECTION}} in [r["name"] for r in ok]:
        want = [{{SECTION}}]
    else:
        gap = min(abs(r["price"] - pref) for r in ok)
        low = min(r["price"] for r in ok if abs(r["price"] - pref) == gap)
        want = [r["name"] for r in ok if r["price"] == low]
    if o["section"] not in want:
        return False, f"the section must be one of {want}"
    if not _seats_ok(db):
        return False, "seat counts do not match the orders"
    return True, "right section"
"""
)

L4_SOLVE = (
    S_CHEAPEST
    + """
import itertools


def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    options = []
    for e in tools.search_events(city={{CITY}}, date_from={{D1}}, date_to={{D2}}):
        s = _cheapest(tools, e["id"], {{QTY}})
        if s:
            options.append((e, s))
    best = None
    for combo in itertools.combinations(options, 3):
        if {{DISTINCT}}:
            if len({e["date"] for e, _ in combo}) < 3 or len({e["venue_id"] for e, _ in combo}) < 3:
                continue
            if len({e["category"] for e, _ in combo}) < 3:
                continue
        cost = sum(s["price"] for _, s in combo) * {{QTY}}
        if best is None or cost < best[0]:
            best = (cost, combo)
    ids = []
    for e, s in best[1]:
        ids.append(tools.purchase_tickets(customer_id=cid, event_id=e["id"], section=s["name"],
                                          quantity={{QTY}})["id"])
    return {"order_ids": ids}
"""
)
L4_PERTURBED = L4_SOLVE.replace("if {{DISTINCT}}:", "if False:")
L4_VERIFY = (
    V_SEATS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("order_ids"), 3):
        return False, "answer must be an object with a list of three order ids"
    new = {o["id"]: o for o in _new(db, {{NAME}})}
    if sorted(new) != sorted(answer["order_ids"]):
        return False, "order_ids must be exactly the customer's new orders"
    rows = list(new.values())
    if any(o["quantity"] != {{QTY}} for o in rows):
        return False, "each order must hold {{QTY}} tickets"
    cities = {r[0] for r in db.execute("SELECT v.city FROM orders o JOIN events e ON e.id = o.event_id"
                                       " JOIN venues v ON v.id = e.venue_id WHERE o.id IN (?, ?, ?)",
                                       tuple(answer["order_ids"]))}
    if cities != {{{CITY}}}:
        return False, "every event must be in {{CITY}}"
    if any(not {{D1}} <= o["date"] <= {{D2}} for o in rows):
        return False, "every event must fall between {{D1}} and {{D2}}"
    for key, what in (("date", "dates"), ("venue_id", "venues"), ("category", "categories")):
        if len({o[key] for o in rows}) != 3:
            return False, f"the three events need three different {what}"
    total = sum(o["total"] for o in rows)
    if total > {{BUDGET}}:
        return False, f"the tickets cost {total}, over {{BUDGET}}"
    if not _seats_ok(db):
        return False, "seat counts do not match the orders"
    return True, "weekend plan within budget"
"""
)

L5_SOLVE = """
def solve(tools):
    me = tools.find_customer(name={{NAME}})["id"]
    friend = tools.find_customer(name={{FRIEND}})["id"]
    refunded, transferred = [], []
    for o in tools.list_orders(customer_id=me):
        if o["status"] != "active" or o["date"] != {{DATE}}:
            continue
        if o["refundable"]:
            tools.refund_order(order_id=o["id"])
            refunded.append(o["id"])
        else:
            tools.transfer_order(order_id=o["id"], to_customer_id=friend)
            transferred.append(o["id"])
    return {"refunded_order_ids": refunded, "transferred_order_ids": transferred}
"""
# handles every active order, whatever its date
L5_PERTURBED = L5_SOLVE.replace(' or o["date"] != {{DATE}}', "")
L5_VERIFY = (
    V_SEATS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("refunded_order_ids")) \\
            or not _int_list(answer.get("transferred_order_ids")):
        return False, "answer needs integer lists 'refunded_order_ids' and 'transferred_order_ids'"
    if sorted(answer["refunded_order_ids"]) != sorted({{REFUND}}):
        return False, "refunded_order_ids must be the refundable orders on {{DATE}}"
    if sorted(answer["transferred_order_ids"]) != sorted({{TRANSFER}}):
        return False, "transferred_order_ids must be the non-refundable orders on {{DATE}}"
    friend = db.execute("SELECT id FROM customers WHERE name = ?", ({{FRIEND}},)).fetchone()[0]
    me = db.execute("SELECT id FROM customers WHERE name = ?", ({{NAME}},)).fetchone()[0]
    for oid in {{REFUND}}:
        if db.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0] != "refunded":
            return False, f"order {oid} must be refunded"
    for oid in {{TRANSFER}}:
        row = db.execute("SELECT * FROM orders WHERE id = ?", (oid,)).fetchone()
        if row["status"] != "active" or row["customer_id"] != friend:
            return False, f"order {oid} must be transferred to {{FRIEND}}"
    for oid in {{KEEP}}:
        row = db.execute("SELECT * FROM orders WHERE id = ?", (oid,)).fetchone()
        if row["status"] != "active" or row["customer_id"] != me:
            return False, f"order {oid} is not on {{DATE}} and must stay untouched"
    if db.execute("SELECT COUNT(*) FROM orders WHERE id > ?", (MAX_ORDER,)).fetchone()[0]:
        return False, "no new orders were asked for"
    if not _seats_ok(db):
        return False, "seat counts do not match the orders"
    return True, "orders refunded or transferred"
"""
)
