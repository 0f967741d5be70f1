from .l3_core import _order_ids


def solve(tools):
    return _order_ids(tools, category_only=True)
