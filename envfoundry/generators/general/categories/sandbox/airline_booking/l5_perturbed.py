from .l3_core import _connect


def solve(tools):
    # forgets the minimum layover
    return _connect(tools, 0)
