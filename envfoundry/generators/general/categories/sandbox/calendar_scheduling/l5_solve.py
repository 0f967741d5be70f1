

def solve(tools):
    return _move(tools, True)
