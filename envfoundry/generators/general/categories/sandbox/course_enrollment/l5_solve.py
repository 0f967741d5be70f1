

def solve(tools):
    return _swap(tools, True)
