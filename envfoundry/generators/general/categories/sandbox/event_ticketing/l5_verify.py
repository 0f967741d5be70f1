

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("refunded_order_ids")) \
            or not _int_list(answer.get("transferred_order_ids")):
        return False, "answer needs integer lists 'refunded_order_ids' and 'transferred_order_ids'"
    if sorted(answer["refunded_order_ids"]) != sorted({{REFUND}}):
        return False, "refunded_order_ids must be the refundable orders on {{DATE}}"
    if sorted(answer["transferred_order_ids"]) != sorted({{TRANSFER}}):
        return False, "transferred_order_ids must be the non-refundable orders on {{DATE}}"
    friend = db.execute("SELECT id FROM customers WHERE name = ?", ({{FRIEND}},)).fetchone()[0]
    me = db.execute("SELECT id FROM customers WHERE name = ?", ({{NAME}},)).fetchone()[0]
    for oid in {{REFUND}}:
        if db.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0] != "refunded":
            return False, f"order {oid} must be refunded"
    for oid in {{TRANSFER}}:
        row = db.execute("SELECT * FROM orders WHERE id = ?", (oid,)).fetchone()
        if row["status"] != "active" or row["customer_id"] != friend:
            return False, f"order {oid} must be transferred to {{FRIEND}}"
    for oid in {{KEEP}}:
        row = db.execute("SELECT * FROM orders WHERE id = ?", (oid,)).fetchone()
        if row["status"] != "active" or row["customer_id"] != me:
            return False, f"order {oid} is not on {{DATE}} and must stay untouched"
    if db.execute("SELECT COUNT(*) FROM orders WHERE id > ?", (MAX_ORDER,)).fetchone()[0]:
        return False, "no new orders were asked for"
    if not _seats_ok(db):
        return False, "seat counts do not match the orders"
    return True, "orders refunded or transferred"
