from .l4_core import _shift


def solve(tools):
    return _shift(tools, windows=True, together=True)
