from .l4_core import _rebook


def solve(tools):
    return _rebook(tools, cancel=True)
