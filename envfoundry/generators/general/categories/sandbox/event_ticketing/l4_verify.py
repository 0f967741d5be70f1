

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("order_ids"), 3):
        return False, "answer must be an object with a list of three order ids"
    new = {o["id"]: o for o in _new(db, {{NAME}})}
    if sorted(new) != sorted(answer["order_ids"]):
        return False, "order_ids must be exactly the customer's new orders"
    rows = list(new.values())
    if any(o["quantity"] != {{QTY}} for o in rows):
        return False, "each order must hold {{QTY}} tickets"
    cities = {r[0] for r in db.execute("SELECT v.city FROM orders o JOIN events e ON e.id = o.event_id"
                                       " JOIN venues v ON v.id = e.venue_id WHERE o.id IN (?, ?, ?)",
                                       tuple(answer["order_ids"]))}
    if cities != {{{CITY}}}:
        return False, "every event must be in {{CITY}}"
    if any(not {{D1}} <= o["date"] <= {{D2}} for o in rows):
        return False, "every event must fall between {{D1}} and {{D2}}"
    for key, what in (("date", "dates"), ("venue_id", "venues"), ("category", "categories")):
        if len({o[key] for o in rows}) != 3:
            return False, f"the three events need three different {what}"
    total = sum(o["total"] for o in rows)
    if total > {{BUDGET}}:
        return False, f"the tickets cost {total}, over {{BUDGET}}"
    if not _seats_ok(db):
        return False, "seat counts do not match the orders"
    return True, "weekend plan within budget"
