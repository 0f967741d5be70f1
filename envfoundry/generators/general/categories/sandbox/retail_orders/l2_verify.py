

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("order_id")):
        return False, "answer must be an object with an integer 'order_id'"
    new = _new_orders(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["order_id"] or new[0]["status"] != "processing":
        return False, "expected exactly one new processing order for the customer, the answered one"
    items = _items(db, answer["order_id"])
    if len(items) != 1 or items[0]["quantity"] != {{QTY}}:
        return False, "the order must hold one product with quantity {{QTY}}"
    it = items[0]
    if it["category"] != {{CATEGORY}} or it["rating"] < {{MIN_RATING}}:
        return False, "the product is not a {{CATEGORY}} product rated at least {{MIN_RATING}}"
    ok = [r for r in db.execute("SELECT * FROM products WHERE category = ? AND status = 'active'"
                                " AND rating >= ?", ({{CATEGORY}}, {{MIN_RATING}}))
          if INIT_STOCK[r["sku"]] >= {{QTY}}]
    if it["price"] > min(r["price"] for r in ok):
        return False, "a cheaper qualifying product was in stock"
    if not _stock_ok(db):
        return False, "stock levels do not match the orders"
    return True, "cheapest qualifying product ordered"
