

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("order_id")):
        return False, "answer must be an object with an integer 'order_id'"
    new = _new(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["order_id"]:
        return False, "expected exactly one new order, the answered one"
    o = new[0]
    if o["event_id"] != {{EVENT}} or o["quantity"] != {{QTY}}:
        return False, "the order must be {{QTY}} tickets for event {{EVENT}}"
    ok = _sections(db, {{EVENT}}, {{QTY}})
    pref = db.execute("SELECT price FROM sections WHERE event_id = ? AND name = ?",
                      ({{EVENT}}, {{SECTION}})).fetchone()[0]
    if {{SECTION}} in [r["name"] for r in ok]:
        want = [{{SECTION}}]
    else:
        gap = min(abs(r["price"] - pref) for r in ok)
        low = min(r["price"] for r in ok if abs(r["price"] - pref) == gap)
        want = [r["name"] for r in ok if r["price"] == low]
    if o["section"] not in want:
        return False, f"the section must be one of {want}"
    if not _seats_ok(db):
        return False, "seat counts do not match the orders"
    return True, "right section"
