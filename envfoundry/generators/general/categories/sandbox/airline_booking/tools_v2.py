# Toolset v2 adds moving a booking to another flight of the same route.
from ..helpers import _by_id
from .tools_v1 import CHANGE_FEE, _bookable, _booking, _seat, _tier


def change_booking(db, booking_id, new_flight_id):
    """Move an active booking to another scheduled flight on the same route, same cabin and
    same booking id. Charges the fare difference (if higher) plus a 75 change fee (waived for
    gold members)."""
    b = _booking(db, booking_id, "")
    old = _by_id(db, "flights", b["flight_id"], "flight_id")
    new = _by_id(db, "flights", new_flight_id, "new_flight_id")
    if (new["origin"], new["destination"]) != (old["origin"], old["destination"]):
        raise ValueError("the new flight must fly the same route")
    if new["id"] == old["id"]:
        raise ValueError("the booking is already on this flight")
    cabin = b["cabin"]
    _bookable(new, cabin)
    fee = 0 if _tier(db, b["passenger_id"]) == "gold" else CHANGE_FEE
    fare = new[f"{cabin}_fare"]
    due = max(0, fare - b["price_paid"]) + fee
    db.execute(
        "UPDATE bookings SET flight_id = ?, price_paid = ?, change_fee = change_fee + ?"
        " WHERE id = ?",
        (new["id"], max(fare, b["price_paid"]), fee, booking_id),
    )
    _seat(db, old["id"], cabin, 1)
    _seat(db, new["id"], cabin, -1)
    return {"booking_id": booking_id, "flight_id": new["id"], "amount_due": due}
