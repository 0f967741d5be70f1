from .l2_core import _cheapest_section


def solve(tools):
    # ignores how many seats are left
    return _cheapest_section(tools, 0)
