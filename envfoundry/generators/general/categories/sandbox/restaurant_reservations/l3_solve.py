from .l3_core import _move


def solve(tools):
    return _move(tools, cancel=True)
