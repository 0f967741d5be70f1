
def solve(tools):
    me = tools.find_customer(name={{NAME}})["id"]
    friend = tools.find_customer(name={{FRIEND}})["id"]
    refunded, transferred = [], []
    for o in tools.list_orders(customer_id=me):
        if o["status"] != "active":
            continue
        if o["refundable"]:
            tools.refund_order(order_id=o["id"])
            refunded.append(o["id"])
        else:
            tools.transfer_order(order_id=o["id"], to_customer_id=friend)
            transferred.append(o["id"])
    return {"refunded_order_ids": refunded, "transferred_order_ids": transferred}
