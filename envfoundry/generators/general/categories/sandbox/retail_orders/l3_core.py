from .l3_params import CATEGORY, NAME
from .solve_lib import _customer_id


def _has_category(tools, order):
    return any(i["category"] == CATEGORY for i in tools.get_order(order_id=order["id"])["items"])


def _order_ids(tools, category_only):
    orders = tools.list_orders(customer_id=_customer_id(tools, NAME))["orders"]
    return {
        "order_ids": sorted(o["id"] for o in orders if not category_only or _has_category(tools, o))
    }
