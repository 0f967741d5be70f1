from .l5_core import _move


def solve(tools):
    return _move(tools, cancel=True)
