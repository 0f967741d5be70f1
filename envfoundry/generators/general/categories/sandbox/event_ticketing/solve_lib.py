"""Solution helpers: the cheapest section that still has the seats."""


def _cheapest(tools, event_id, qty, cap=None):
    """The cheapest section of an event with qty seats (and price <= cap), or None."""
    ok = [
        s
        for s in tools.get_event(event_id=event_id)["sections"]
        if s["seats_left"] >= qty and (cap is None or s["price"] <= cap)
    ]
    return min(ok, key=lambda s: (s["price"], s["name"])) if ok else None


def _buy(tools, customer_id, event_id, section, qty):
    order = tools.purchase_tickets(
        customer_id=customer_id, event_id=event_id, section=section, quantity=qty
    )
    return order["id"]
