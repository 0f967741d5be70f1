# Toolset v2 adds extending a reservation in place.
from ..helpers import _active_row, _by_id
from .tools_v1 import _busy, _days, _price


def extend_reservation(db, reservation_id, new_end_date):
    """Keep the same car longer: move an active reservation's end_date later when the car is
    free until then; the total price is recomputed."""
    res = _active_row(db, "reservations", reservation_id, "reservation_id")
    if not isinstance(new_end_date, str) or new_end_date <= res["end_date"]:
        raise ValueError("new_end_date must be after the current end_date")
    days = _days(db, res["start_date"], new_end_date)
    if _busy(db, res["car_id"], res["start_date"], new_end_date, ignore=reservation_id):
        raise ValueError("the car is reserved by someone else in the extension period")
    car = _by_id(db, "cars", res["car_id"], "car_id")
    total = _price(car, _by_id(db, "customers", res["customer_id"], "customer_id"), days)
    db.execute(
        "UPDATE reservations SET end_date = ?, total_price = ? WHERE id = ?",
        (new_end_date, total, reservation_id),
    )
    return dict(_by_id(db, "reservations", reservation_id, "reservation_id"))
