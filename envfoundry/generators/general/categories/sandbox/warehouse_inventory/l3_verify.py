

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("transfer_id"), int):
        return False, "answer must be an object with an integer 'transfer_id'"
    dest = db.execute("SELECT id FROM warehouses WHERE code = ?", ({{DEST}},)).fetchone()["id"]
    moves = _moves(db, [{{SKU}}])
    if len(moves) != 1 or moves[0]["id"] != answer["transfer_id"]:
        return False, "exactly one transfer, the one answered, is expected"
    t = moves[0]
    if t["to_id"] != dest or t["qty"] != {{QTY}} or not _consistent(db, {{SKU}}, {{INITIAL}}):
        return False, "wrong destination or quantity, or stock does not add up"
    stock, lanes = _stock(db, {{SKU}}), _lanes(db, dest)
    initial = {int(k): v for k, v in {{INITIAL}}.items()}
    ok = [w for w in lanes if initial[w] - {{QTY}} >= stock[w]["reorder_point"]
          and lanes[w]["lead_days"] <= {{MAX_LEAD}}]
    if t["from_id"] not in ok:
        return False, "the source falls below its reorder point or its lane is too slow"
    if lanes[t["from_id"]]["cost_per_unit"] > min(lanes[w]["cost_per_unit"] for w in ok):
        return False, "a cheaper feasible source exists"
    return True, "cheapest feasible transfer made"
