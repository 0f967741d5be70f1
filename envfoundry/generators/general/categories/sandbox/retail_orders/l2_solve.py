
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    ok = [p for p in tools.search_products(category={{CATEGORY}})
          if p["status"] == "active" and p["rating"] >= {{MIN_RATING}} and p["stock"] >= {{QTY}}]
    best = min(ok, key=lambda p: (p["price"], p["sku"]))
    order = tools.place_order(customer_id=cid, items=[{"sku": best["sku"], "quantity": {{QTY}}}])
    return {"order_id": order["id"]}
