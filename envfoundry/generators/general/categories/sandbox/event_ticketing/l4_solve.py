from .l4_core import _weekend


def solve(tools):
    return _weekend(tools, distinct=True)
