from .l5_core import _weekend


def solve(tools):
    return _weekend(tools, distinct=True)
