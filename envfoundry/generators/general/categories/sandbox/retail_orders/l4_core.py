import datetime

from .l4_params import CATEGORY, NAME
from .solve_lib import _customer_id, _order


def _returnable(order, today):
    if order["status"] != "delivered":
        return False
    return (today - datetime.date.fromisoformat(order["delivered_date"])).days <= 30


def _return_items(tools, category_only):
    """Return in full the items (of CATEGORY) of the orders delivered in the last 30 days,
    then re-order in one order the returned products that are still active."""
    cid = _customer_id(tools, NAME)
    listing = tools.list_orders(customer_id=cid)
    today = datetime.date.fromisoformat(listing["today"])
    ids: list = []
    returned: dict = {}
    cats: set = set()
    for o in sorted(listing["orders"], key=lambda o: o["id"]):
        if not _returnable(o, today):
            continue
        order = tools.get_order(order_id=o["id"])
        for item in order["items"]:
            if category_only and item["category"] != CATEGORY:
                continue
            left = item["quantity"] - sum(
                r["quantity"] for r in order["returns"] if r["sku"] == item["sku"]
            )
            if left > 0:
                r = tools.request_return(
                    order_id=o["id"], sku=item["sku"], quantity=left, reason="defective"
                )
                ids.append(r["return_id"])
                returned[item["sku"]] = returned.get(item["sku"], 0) + left
                cats.add(item["category"])
    # which returned products are still active: one catalog search per returned category
    active = {
        p["sku"]
        for cat in sorted(cats)
        for p in tools.search_products(category=cat)
        if p["status"] == "active"
    }
    again = sorted((s, q) for s, q in returned.items() if s in active)
    return {"return_ids": ids, "new_order_id": _order(tools, cid, again)}
