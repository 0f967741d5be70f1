from .l5_core import _rebalance


def solve(tools):
    return _rebalance(tools, own_forecast=True)
