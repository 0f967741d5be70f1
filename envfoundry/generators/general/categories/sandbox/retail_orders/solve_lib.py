"""Solution helpers: the customer, products that can be ordered, placing an order."""


def _customer_id(tools, name):
    return tools.find_customer(name=name)["id"]


def _orderable(tools, category, min_rating=0.0, qty=1):
    return [
        p
        for p in tools.search_products(category=category)
        if p["status"] == "active" and p["stock"] >= qty and p["rating"] >= min_rating
    ]


def _order(tools, customer_id, quantities):
    """Place one order of ``quantities`` (sku -> quantity); its id."""
    items = [{"sku": s, "quantity": q} for s, q in quantities]
    return tools.place_order(customer_id=customer_id, items=items)["id"]
