from .l1_core import _buy_in


def _cheapest(sections, ok):
    return min(ok, key=lambda s: (s["price"], s["name"]))


def solve(tools):
    # ignores the preferred section: cheapest section with enough seats
    return _buy_in(tools, _cheapest)
