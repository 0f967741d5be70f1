

def solve(tools):
    # ignores everyone's local lunch hour
    return _pair(tools, False)
