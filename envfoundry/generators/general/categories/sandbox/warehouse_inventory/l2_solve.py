from .l2_core import _quote


def solve(tools):
    return _quote(tools, keep_floor=True)
