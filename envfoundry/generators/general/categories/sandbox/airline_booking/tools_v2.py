
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
