from .l2_core import _order_cheapest
from .l2_params import MIN_RATING


def solve(tools):
    return _order_cheapest(tools, MIN_RATING)
