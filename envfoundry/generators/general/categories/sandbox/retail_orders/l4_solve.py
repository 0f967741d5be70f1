
import itertools


def solve(tools):
    c = tools.find_customer(name={{NAME}})
    factor = 0.9 if c["tier"] == "gold" else 1.0
    pools = []
    for cat in {{CATEGORIES}}:
        pools.append([p for p in tools.search_products(category=cat)
                      if p["status"] == "active" and p["stock"] >= 1 and p["rating"] >= {{MIN_RATING}}])
    best = None
    for combo in itertools.product(*pools):
        total = sum(round(p["price"] * factor, 2) for p in combo)
        score = sum(p["rating"] for p in combo)
        if total <= {{BUDGET}} and (best is None or score > best[0]):
            best = (score, combo)
    items = [{"sku": p["sku"], "quantity": 1} for p in best[1]]
    return {"order_id": tools.place_order(customer_id=c["id"], items=items)["id"]}
