from .l1_core import _order_cheapest


def solve(tools):
    # forgets the minimum rating
    return _order_cheapest(tools, 0.0)
