from .l5_core import _shift


def solve(tools):
    return _shift(tools, windows=True)
