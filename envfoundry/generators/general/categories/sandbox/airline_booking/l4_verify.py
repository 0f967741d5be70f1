

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
