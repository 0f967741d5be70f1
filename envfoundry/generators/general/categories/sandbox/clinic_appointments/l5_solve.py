

def solve(tools):
    return _rebook(tools, True)
