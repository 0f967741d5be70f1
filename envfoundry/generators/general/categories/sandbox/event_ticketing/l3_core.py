from .l3_params import CATEGORY, CITY, D1, NAME, QTY
from .solve_lib import _buy, _cheapest


def _buy_earliest(tools, cap, skip_held=True):
    """Buy at the earliest event with a qualifying section (price <= cap) that the customer
    holds no active order for (when ``skip_held``)."""
    cid = tools.find_customer(name=NAME)["id"]
    held = set()
    if skip_held:
        orders = tools.list_orders(customer_id=cid)
        held = {o["event_id"] for o in orders if o["status"] == "active"}
    for e in tools.search_events(city=CITY, category=CATEGORY, date_from=D1):
        if e["id"] in held:
            continue
        s = _cheapest(tools, e["id"], QTY, cap)
        if s:
            return {"order_id": _buy(tools, cid, e["id"], s["name"], QTY)}
    return None
