

def solve(tools):
    return _pair(tools, True)
