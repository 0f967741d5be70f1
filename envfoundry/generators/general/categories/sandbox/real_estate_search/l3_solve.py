from .l3_core import _largest_near


def solve(tools):
    return _largest_near(tools, ("school", "park"))
