from .l3_core import _rebook


def solve(tools):
    return _rebook(tools, cancel=True)
