from .l5_params import NAME
from .solve_lib import _customer_id, _order


def _cancel_affected(tools, cid):
    """Cancel the processing orders holding a discontinued product: their ids and lines."""
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
        lines += [(products[i["sku"]], i["quantity"]) for i in items]
    return cancelled, lines


def _reorder(tools, keep_rating):
    """Cancel and re-order, replacing each discontinued product by the cheapest active one of
    its category in stock (rated at least as well when ``keep_rating``)."""
    cid = _customer_id(tools, NAME)
    cancelled, lines = _cancel_affected(tools, cid)
    want: dict[str, int] = {}
    for p, qty in lines:
        sku = p["sku"]
        if p["status"] != "active":
            ok = [
                q
                for q in tools.search_products(category=p["category"])
                if q["status"] == "active"
                and (q["rating"] >= p["rating"] or not keep_rating)
                and q["stock"] >= qty + want.get(q["sku"], 0)
            ]
            sku = min(ok, key=lambda q: (q["price"], q["sku"]))["sku"]
        want[sku] = want.get(sku, 0) + qty
    return {
        "cancelled_order_ids": cancelled,
        "new_order_id": _order(tools, cid, sorted(want.items())),
    }
