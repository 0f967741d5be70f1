

def solve(tools):
    # enrols in the required course but leaves the clashing course in place
    return _swap(tools, False)
