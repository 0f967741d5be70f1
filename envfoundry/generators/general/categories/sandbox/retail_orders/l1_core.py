from .l1_params import CATEGORY, NAME, QTY
from .solve_lib import _customer_id, _order, _orderable


def _order_cheapest(tools, min_rating):
    ok = _orderable(tools, CATEGORY, min_rating, QTY)
    best = min(ok, key=lambda p: (p["price"], p["sku"]))
    return {"order_id": _order(tools, _customer_id(tools, NAME), [(best["sku"], QTY)])}
