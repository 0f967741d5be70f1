from .l1_core import _cheapest_economy


def solve(tools):
    # ignores cancelled flights and full cabins
    return _cheapest_economy(tools, bookable_only=False)
