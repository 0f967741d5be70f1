"""Verifier helpers: the customer's new reservations, nothing else changed, and "cheapest"
judged on the cars free before the episode (``before``)."""

import datetime

from ..helpers import _the_one, _unexpected_change

MAX_RES: int = 0


def _days(s, e):
    return (datetime.date.fromisoformat(e) - datetime.date.fromisoformat(s)).days


def _free(db, car_id, s, e, ignore=()):
    for r in db.execute(
        "SELECT * FROM reservations WHERE car_id = ? AND status = 'active'"
        " AND start_date < ? AND ? < end_date",
        (car_id, e, s),
    ):
        if r["id"] not in ignore:
            return False
    return True


def _new(db, name):
    return db.execute(
        "SELECT r.*, c.branch_id, c.car_class, c.seats, c.transmission, c.fuel, c.daily_rate,"
        " b.city, u.age FROM reservations r JOIN cars c ON c.id = r.car_id"
        " JOIN branches b ON b.id = c.branch_id JOIN customers u ON u.id = r.customer_id"
        " WHERE u.name = ? AND r.id > ? AND r.status = 'active' ORDER BY r.id",
        (name, MAX_RES),
    ).fetchall()


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
    return db.execute(
        "SELECT c.*, b.city FROM cars c JOIN branches b ON b.id = c.branch_id WHERE " + where,
        args,
    ).fetchall()


def _cheapest_free(before, res, where, args, start, end, ignore=()):
    """Whether ``res`` has the lowest daily rate among the cars of ``where`` that were free
    then before the episode (reservations ``ignore`` left aside)."""
    ok = [c for c in _cars(before, where, args) if _free(before, c["id"], start, end, ignore)]
    return res["daily_rate"] <= min(c["daily_rate"] for c in ok)


def _cid(db, name):
    return db.execute("SELECT id FROM customers WHERE name = ?", (name,)).fetchone()["id"]


def _collateral(changes, db, name, *extra):
    """Why ``changes`` hold more than the customer's new active reservations (and ``extra``
    patterns), or None."""
    mine = ("insert", "reservations", {"customer_id": _cid(db, name), "status": "active"})
    return _unexpected_change(changes, mine, *extra)


def _new_reservation(db, answer, name, branch, start, end, changes, *extra):
    """The answered new reservation when it is sound, at ``branch`` (any branch when None)
    from ``start`` to ``end`` and nothing else changed (but ``extra``); else None and the
    reason."""
    r = _the_one(_new(db, name), answer, "reservation_id")
    if r is None:
        return None, "expected exactly one new active reservation, the answered one"
    problem = _collateral(changes, db, name, *extra)
    if problem:
        return None, problem
    if (r["start_date"], r["end_date"]) != (start, end) or branch not in (None, r["branch_id"]):
        return None, "wrong branch or dates"
    broken = _sound(db, r)
    return (None, broken) if broken else (r, "")
