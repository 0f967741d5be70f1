

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("cancelled_order_ids")) \
            or not _int(answer.get("new_order_id")):
        return False, "answer needs 'cancelled_order_ids' (integers) and 'new_order_id'"
    if sorted(answer["cancelled_order_ids"]) != sorted({{AFFECTED}}):
        return False, "cancelled_order_ids must be the processing orders with discontinued products"
    for oid in OPEN_ORDERS:
        status = db.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0]
        if (oid in {{AFFECTED}}) != (status == "cancelled"):
            return False, f"order {oid} is {status}"
    new = _new_orders(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["new_order_id"] or new[0]["status"] != "processing":
        return False, "expected exactly one new processing order, the answered one"
    got = {i["sku"]: i for i in _items(db, answer["new_order_id"])}
    keep, swap = {}, []
    for oid in {{AFFECTED}}:
        for i in _items(db, oid):
            if i["pstatus"] == "active":
                keep[i["sku"]] = keep.get(i["sku"], 0) + i["quantity"]
            else:
                swap.append(i)
    for sku, qty in keep.items():
        if sku not in got or got[sku]["quantity"] < qty:
            return False, f"{sku} x{qty} from the cancelled orders must be re-ordered"
    extra = {s: i["quantity"] - keep.get(s, 0) for s, i in got.items() if i["quantity"] > keep.get(s, 0)}
    for old in swap:
        ok = [r for r in db.execute(
            "SELECT * FROM products WHERE category = ? AND status = 'active' AND rating >= ?",
            (old["category"], old["rating"])) if INIT_STOCK[r["sku"]] >= old["quantity"]]
        cheapest = min(r["price"] for r in ok)
        pick = [s for s, q in extra.items() if q >= old["quantity"] and s in [r["sku"] for r in ok]
                and db.execute("SELECT price FROM products WHERE sku = ?", (s,)).fetchone()[0] <= cheapest]
        if not pick:
            return False, f"no cheapest qualifying replacement for {old['sku']} x{old['quantity']}"
        extra[pick[0]] -= old["quantity"]
    if any(q for q in extra.values()):
        return False, "the new order holds products that were not asked for"
    if not _stock_ok(db):
        return False, "stock levels do not match the orders"
    return True, "orders cancelled and replaced"
