

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("transfer_ids"), list):
        return False, "answer must be an object with a list 'transfer_ids'"
    moves = _moves(db, [{{SKU}}])
    if sorted(t["id"] for t in moves) != sorted(answer["transfer_ids"]):
        return False, "the answer must list exactly the transfers made"
    if not _consistent(db, {{SKU}}, {{INITIAL}}):
        return False, "stock does not add up"
    initial = {int(k): v for k, v in {{INITIAL}}.items()}
    fc = {r["warehouse_id"]: r["qty"] for r in db.execute(
        "SELECT * FROM demand_forecast WHERE sku = ?", ({{SKU}},))}
    stock = _stock(db, {{SKU}})
    sinks = {w for w in initial if fc.get(w, 0) > initial[w]}
    for w in sinks:
        if stock[w]["qty"] < fc[w]:
            return False, f"warehouse {w} is still short of its forecast"
    for t in moves:
        src = stock[t["from_id"]]
        if t["from_id"] in sinks or t["to_id"] not in sinks:
            return False, "transfers must go from non-short warehouses to short ones"
        if src["qty"] < max(src["reorder_point"], fc.get(t["from_id"], 0)):
            return False, f"source {t['from_id']} fell below its reorder point or its own forecast"
    cost = sum(t["total_cost"] for t in moves)
    if cost > {{BUDGET}} + 1e-6:
        return False, f"total cost {cost:.2f} exceeds the budget"
    return True, f"network rebalanced for {cost:.2f}"
