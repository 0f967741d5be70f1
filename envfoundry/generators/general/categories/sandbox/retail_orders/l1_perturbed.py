
def solve(tools):
    # lists every order of the customer
    cid = tools.find_customer(name={{NAME}})["id"]
    return {"order_ids": sorted(o["id"] for o in tools.list_orders(customer_id=cid)["orders"])}
