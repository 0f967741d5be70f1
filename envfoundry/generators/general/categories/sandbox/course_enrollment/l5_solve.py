from .l5_core import _swap


def solve(tools):
    return _swap(tools, drop=True)
