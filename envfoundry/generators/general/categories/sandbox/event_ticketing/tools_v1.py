"""Event ticketing tools: events in venues, sections with prices and seats, ticket orders.
A customer may hold at most 8 tickets per event."""

from ..helpers import (
    _active_row,
    _by_id,
    _canon,
    _date_arg,
    _dicts,
    _insert,
    _int_arg,
    _named,
    _rows_of,
    _today,
)

MAX_PER_EVENT = 8
_ORDERS = (
    "SELECT o.*, e.title, e.date, e.refundable FROM orders o JOIN events e ON e.id = o.event_id"
    " WHERE o.customer_id = ? ORDER BY o.id"
)


def search_events(db, city, category=None, date_from=None, date_to=None):
    """Events in a city (optionally one category and a date range), by date and time."""
    sql = (
        "SELECT e.id, e.title, e.category, e.performer, e.date, e.time, e.refundable,"
        " v.name AS venue, v.id AS venue_id FROM events e JOIN venues v ON v.id = e.venue_id"
        " WHERE v.city = ?"
    )
    args = [_canon(db, "venues", "city", city, "city")]
    if category is not None:
        sql, args = sql + " AND e.category = ?", [*args, _canon(db, "events", "category", category)]
    if date_from is not None:
        sql, args = sql + " AND e.date >= ?", [*args, _date_arg(date_from, "date_from")]
    if date_to is not None:
        sql, args = sql + " AND e.date <= ?", [*args, _date_arg(date_to, "date_to")]
    return _dicts(db, sql + " ORDER BY e.date, e.time, e.id", args)


def get_event(db, event_id):
    """One event with its venue and sections (name, price, seats_left)."""
    e = dict(_by_id(db, "events", event_id, "event_id"))
    v = _by_id(db, "venues", e["venue_id"], "venue_id")
    e["venue"], e["city"] = v["name"], v["city"]
    e["sections"] = _dicts(
        db,
        "SELECT name, price, seats_left FROM sections WHERE event_id = ? ORDER BY price DESC, name",
        (event_id,),
    )
    return e


def find_customer(db, name):
    """A customer by full name."""
    return _named(db, "customers", name, "customer")


def _move_seats(db, event_id, section, delta):
    db.execute(
        "UPDATE sections SET seats_left = seats_left + ? WHERE event_id = ? AND name = ?",
        (delta, event_id, section),
    )


def purchase_tickets(db, customer_id, event_id, section, quantity):
    """Buy tickets in one section of an upcoming event; returns the order."""
    _by_id(db, "customers", customer_id, "customer_id")
    event = _by_id(db, "events", event_id, "event_id")
    qty = _int_arg(quantity, "quantity")
    if not 1 <= qty <= MAX_PER_EVENT:
        raise ValueError(f"quantity must be 1-{MAX_PER_EVENT}")
    if event["date"] < _today(db):
        raise ValueError("the event is over")
    sec = db.execute(
        "SELECT * FROM sections WHERE event_id = ? AND name = ?", (event_id, section)
    ).fetchone()
    if sec is None:
        raise ValueError(f"event {event_id} has no section {section!r}")
    if sec["seats_left"] < qty:
        raise ValueError(f"only {sec['seats_left']} seats left in {section}")
    held = db.execute(
        "SELECT COALESCE(SUM(quantity), 0) FROM orders WHERE customer_id = ?"
        " AND event_id = ? AND status = 'active'",
        (customer_id, event_id),
    ).fetchone()[0]
    if held + qty > MAX_PER_EVENT:
        raise ValueError(f"at most {MAX_PER_EVENT} tickets per customer and event")
    _move_seats(db, event_id, section, -qty)
    order = _insert(
        db,
        "orders",
        customer_id=customer_id,
        event_id=event_id,
        section=section,
        quantity=qty,
        total=qty * sec["price"],
        status="active",
    )
    return dict(_by_id(db, "orders", order, "order_id"))


def list_orders(db, customer_id):
    """A customer's ticket orders with event title, date and refundable flag."""
    return _rows_of(db, _ORDERS, "customers", customer_id, "customer_id")


def refund_order(db, order_id):
    """Refund an active order of a refundable, upcoming event; the seats go back on sale."""
    order = _active_row(db, "orders", order_id, "order_id")
    event = _by_id(db, "events", order["event_id"], "event_id")
    if not event["refundable"]:
        raise ValueError("tickets for this event are not refundable")
    if event["date"] < _today(db):
        raise ValueError("the event is over")
    db.execute("UPDATE orders SET status = 'refunded' WHERE id = ?", (order_id,))
    _move_seats(db, order["event_id"], order["section"], order["quantity"])
    return {"order_id": order_id, "status": "refunded", "refund": order["total"]}
