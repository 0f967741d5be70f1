# Toolset v2 adds cancelling an order that is still processing.
from ..helpers import _by_id


def cancel_order(db, order_id):
    """Cancel a 'processing' order: its items go back in stock and the total is refunded."""
    order = _by_id(db, "orders", order_id, "order_id")
    if order["status"] != "processing":
        raise ValueError(f"order {order_id} is {order['status']}; only processing orders cancel")
    for item in db.execute("SELECT * FROM order_items WHERE order_id = ?", (order_id,)).fetchall():
        db.execute(
            "UPDATE products SET stock = stock + ? WHERE sku = ?", (item["quantity"], item["sku"])
        )
    db.execute("UPDATE orders SET status = 'cancelled' WHERE id = ?", (order_id,))
    return {"order_id": order_id, "status": "cancelled", "refund": order["total"]}
