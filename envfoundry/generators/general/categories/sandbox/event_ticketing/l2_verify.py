

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
