# Toolset v2 adds handing an order's tickets to another customer.
from ..helpers import _active_row, _by_id


def transfer_order(db, order_id, to_customer_id):
    """Give an active order's tickets to another customer (the order keeps its id)."""
    order = _by_id(db, "orders", order_id, "order_id")
    _by_id(db, "customers", to_customer_id, "to_customer_id")
    _active_row(db, "orders", order_id, "order_id")
    if to_customer_id == order["customer_id"]:
        raise ValueError("the tickets already belong to that customer")
    db.execute(
        "UPDATE orders SET customer_id = ?, transferred_from = ? WHERE id = ?",
        (to_customer_id, order["customer_id"], order_id),
    )
    return dict(_by_id(db, "orders", order_id, "order_id"))
