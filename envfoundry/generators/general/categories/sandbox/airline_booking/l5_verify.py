

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
        if db.execute("SELECT economy_fare FROM flights WHERE id = ?", (b["flight_id"],)).fetchone()[0] \
                > min(f["economy_fare"] for f in ok):
            return False, f"booking {bid}: a cheaper flight fits the time window"
    if not _counters_ok(db):
        return False, "seat counters do not match the bookings"
    return True, "round trip moved by one day"
