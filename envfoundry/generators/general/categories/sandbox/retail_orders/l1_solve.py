from .l1_core import _order_cheapest
from .l1_params import MIN_RATING


def solve(tools):
    return _order_cheapest(tools, MIN_RATING)
