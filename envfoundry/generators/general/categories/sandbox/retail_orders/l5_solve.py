
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    cancelled, lines = [], []
    for o in sorted(tools.list_orders(customer_id=cid)["orders"], key=lambda o: o["id"]):
        if o["status"] != "processing":
            continue
        items = tools.get_order(order_id=o["id"])["items"]
        products = {i["sku"]: tools.get_product(sku=i["sku"]) for i in items}
        if all(p["status"] == "active" for p in products.values()):
            continue
        tools.cancel_order(order_id=o["id"])
        cancelled.append(o["id"])
        for i in items:
            lines.append((products[i["sku"]], i["quantity"]))
    want = {}
    for p, qty in lines:
        sku = p["sku"]
        if p["status"] != "active":
            ok = [q for q in tools.search_products(category=p["category"])
                  if q["status"] == "active" and q["rating"] >= p["rating"]
                  and q["stock"] >= qty + want.get(q["sku"], 0)]
            sku = min(ok, key=lambda q: (q["price"], q["sku"]))["sku"]
        want[sku] = want.get(sku, 0) + qty
    items = [{"sku": s, "quantity": q} for s, q in sorted(want.items())]
    order = tools.place_order(customer_id=cid, items=items)
    return {"cancelled_order_ids": cancelled, "new_order_id": order["id"]}
