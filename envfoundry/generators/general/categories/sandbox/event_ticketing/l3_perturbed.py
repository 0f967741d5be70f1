from .l3_core import _buy_earliest


def solve(tools):
    # forgets the price cap
    return _buy_earliest(tools, None)
