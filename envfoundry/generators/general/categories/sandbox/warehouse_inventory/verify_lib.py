"""Verifier helpers: stock per warehouse, the transfers made, lanes into a warehouse."""


def _stock(db, sku):
    return {r["warehouse_id"]: r for r in db.execute("SELECT * FROM stock WHERE sku = ?", (sku,))}


def _moves(db, skus):
    marks = ",".join("?" * len(skus))
    return db.execute(
        f"SELECT * FROM transfers WHERE sku IN ({marks}) ORDER BY id", list(skus)
    ).fetchall()


def _consistent(db, sku, initial):
    # final stock must equal the initial stock plus the recorded transfers, never negative
    stock = _stock(db, sku)
    net = {int(k): v for k, v in initial.items()}
    for t in _moves(db, [sku]):
        net[t["from_id"]] -= t["qty"]
        net[t["to_id"]] += t["qty"]
    return all(stock[wid]["qty"] == qty and qty >= 0 for wid, qty in net.items())


def _lanes(db, to_id):
    return {r["from_id"]: r for r in db.execute("SELECT * FROM lanes WHERE to_id = ?", (to_id,))}


def _wh_id(db, code):
    return db.execute("SELECT id FROM warehouses WHERE code = ?", (code,)).fetchone()["id"]


def _cost_within(moves, budget, reason):
    cost = sum(t["total_cost"] for t in moves)
    if cost > budget + 1e-6:
        return False, f"total cost {cost:.2f} exceeds the budget"
    return True, f"{reason} for {cost:.2f}"
