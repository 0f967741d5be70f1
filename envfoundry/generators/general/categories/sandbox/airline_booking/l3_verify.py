
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
