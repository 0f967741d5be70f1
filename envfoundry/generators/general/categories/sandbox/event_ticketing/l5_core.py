from .l5_params import DATE, FRIEND, NAME


def _clear(tools, day_only):
    """Refund the refundable active orders (of DATE), transfer the others to FRIEND."""
    me = tools.find_customer(name=NAME)["id"]
    friend = tools.find_customer(name=FRIEND)["id"]
    refunded, transferred = [], []
    for o in tools.list_orders(customer_id=me):
        if o["status"] != "active" or (day_only and o["date"] != DATE):
            continue
        if o["refundable"]:
            tools.refund_order(order_id=o["id"])
            refunded.append(o["id"])
        else:
            tools.transfer_order(order_id=o["id"], to_customer_id=friend)
            transferred.append(o["id"])
    return {"refunded_order_ids": refunded, "transferred_order_ids": transferred}
