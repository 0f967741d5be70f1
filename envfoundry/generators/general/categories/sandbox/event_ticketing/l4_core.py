from .l4_params import DATE, FRIEND, FRIEND2, NAME


def _clear(tools, day_only):
    """Refund the refundable active orders (of DATE); transfer the others to FRIEND, or to
    FRIEND2 when FRIEND already holds tickets for that event."""
    me = tools.find_customer(name=NAME)["id"]
    friend = tools.find_customer(name=FRIEND)["id"]
    other = tools.find_customer(name=FRIEND2)["id"]
    theirs = {
        o["event_id"] for o in tools.list_orders(customer_id=friend) if o["status"] == "active"
    }
    refunded, transferred = [], []
    for o in tools.list_orders(customer_id=me):
        if o["status"] != "active" or (day_only and o["date"] != DATE):
            continue
        if o["refundable"]:
            tools.refund_order(order_id=o["id"])
            refunded.append(o["id"])
        else:
            to = other if o["event_id"] in theirs else friend
            tools.transfer_order(order_id=o["id"], to_customer_id=to)
            transferred.append(o["id"])
    return {"refunded_order_ids": refunded, "transferred_order_ids": transferred}
