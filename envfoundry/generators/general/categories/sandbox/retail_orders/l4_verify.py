

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("order_id")):
        return False, "answer must be an object with an integer 'order_id'"
    new = _new_orders(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["order_id"] or new[0]["status"] != "processing":
        return False, "expected exactly one new processing order for the customer, the answered one"
    items = _items(db, answer["order_id"])
    if sorted(i["category"] for i in items) != sorted({{CATEGORIES}}):
        return False, "the order needs exactly one product of each asked category"
    if any(i["quantity"] != 1 or i["rating"] < {{MIN_RATING}} for i in items):
        return False, "one unit of each, every product rated at least {{MIN_RATING}}"
    if new[0]["total"] > {{BUDGET}} + 1e-9:
        return False, f"the order total {new[0]['total']} exceeds {{BUDGET}}"
    if not _stock_ok(db):
        return False, "stock levels do not match the orders"
    return True, "order within budget"
