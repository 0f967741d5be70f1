
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    ids = []
    for o in tools.list_orders(customer_id=cid)["orders"]:
        items = tools.get_order(order_id=o["id"])["items"]
        if any(i["category"] == {{CATEGORY}} for i in items):
            ids.append(o["id"])
    return {"order_ids": sorted(ids)}
