from .l5_core import _connect


def solve(tools):
    # forgets the minimum layover
    return _connect(tools, 0)
