from .l4_core import _pair


def solve(tools):
    return _pair(tools, lunch=True)
