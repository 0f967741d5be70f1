from .l3_core import _order_ids


def solve(tools):
    # lists every order of the customer
    return _order_ids(tools, category_only=False)
