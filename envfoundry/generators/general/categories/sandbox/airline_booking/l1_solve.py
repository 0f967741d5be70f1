from .l1_core import _cheapest_economy


def solve(tools):
    return _cheapest_economy(tools, bookable_only=True)
