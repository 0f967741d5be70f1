
def solve(tools):
    # the best-rated product of each category, whatever the budget
    c = tools.find_customer(name={{NAME}})
    items = []
    for cat in {{CATEGORIES}}:
        ok = [p for p in tools.search_products(category=cat) if p["status"] == "active" and p["stock"] >= 1]
        items.append({"sku": max(ok, key=lambda p: (p["rating"], p["sku"]))["sku"], "quantity": 1})
    return {"order_id": tools.place_order(customer_id=c["id"], items=items)["id"]}
