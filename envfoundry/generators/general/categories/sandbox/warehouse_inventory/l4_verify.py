

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("transfer_ids"), list):
        return False, "answer must be an object with a list 'transfer_ids'"
    dest = db.execute("SELECT id FROM warehouses WHERE code = ?", ({{DEST}},)).fetchone()["id"]
    moves = _moves(db, {{SKUS}})
    if sorted(t["id"] for t in moves) != sorted(answer["transfer_ids"]):
        return False, "the answer must list exactly the transfers made"
    if any(t["to_id"] != dest for t in moves):
        return False, "every transfer must go to the destination"
    for sku in {{SKUS}}:
        if not _consistent(db, sku, {{INITIAL}}[sku]):
            return False, f"{sku} stock does not add up"
        stock = _stock(db, sku)
        if stock[dest]["qty"] < {{TARGETS}}[sku]:
            return False, f"{sku} at the destination is below its target"
        for t in moves:
            if t["sku"] == sku and stock[t["from_id"]]["qty"] < stock[t["from_id"]]["reorder_point"]:
                return False, f"a source of {sku} fell below its reorder point"
    cost = sum(t["total_cost"] for t in moves)
    if cost > {{BUDGET}} + 1e-6:
        return False, f"total cost {cost:.2f} exceeds the budget"
    return True, f"restocked for {cost:.2f}"
