

def solve(tools):
    return _rebalance(tools, True)
