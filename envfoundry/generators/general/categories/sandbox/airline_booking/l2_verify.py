

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
