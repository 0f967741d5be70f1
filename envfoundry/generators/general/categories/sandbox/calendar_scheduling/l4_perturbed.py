from .l4_core import _pair


def solve(tools):
    # ignores everyone's local lunch hour
    return _pair(tools, lunch=False)
