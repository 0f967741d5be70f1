

def solve(tools):
    # books the replacement but leaves the old appointment in place
    return _rebook(tools, False)
