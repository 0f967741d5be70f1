from .l1_core import _cheapest_car


def solve(tools):
    # only looks at the airport branch
    return _cheapest_car(tools, airport_only=True)
