from .l5_core import _rebalance


def solve(tools):
    # protects the sources' reorder points but not their own forecast demand
    return _rebalance(tools, own_forecast=False)
