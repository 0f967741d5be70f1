
def _stock(db, sku):
    return {r["warehouse_id"]: r for r in db.execute("SELECT * FROM stock WHERE sku = ?", (sku,))}


def _moves(db, skus):
    return db.execute("SELECT * FROM transfers WHERE sku IN (%s) ORDER BY id"
                      % ",".join("?" * len(skus)), list(skus)).fetchall()


def _consistent(db, sku, initial):
    # final stock must equal the initial stock plus the recorded transfers, never negative
    stock = _stock(db, sku)
    net = {int(k): v for k, v in initial.items()}
    for t in _moves(db, [sku]):
        net[t["from_id"]] -= t["qty"]
        net[t["to_id"]] += t["qty"]
    for wid, qty in net.items():
        if stock[wid]["qty"] != qty or qty < 0:
            return False
    return True


def _lanes(db, to_id):
    return {r["from_id"]: r for r in db.execute("SELECT * FROM lanes WHERE to_id = ?", (to_id,))}
