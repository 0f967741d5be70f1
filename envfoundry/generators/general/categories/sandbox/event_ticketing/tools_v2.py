
def transfer_order(db, order_id, to_customer_id):
    """Give an active order's tickets to another customer (the order keeps its id)."""
    order = _get(db, "orders", order_id, "order_id")
    _get(db, "customers", to_customer_id, "to_customer_id")
    if order["status"] != "active":
        raise ValueError(f"order {order_id} is {order['status']}")
    if to_customer_id == order["customer_id"]:
        raise ValueError("the tickets already belong to that customer")
    db.execute("UPDATE orders SET customer_id = ?, transferred_from = ? WHERE id = ?",
               (to_customer_id, order["customer_id"], order_id))
    return dict(_get(db, "orders", order_id, "order_id"))
