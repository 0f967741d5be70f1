

def solve(tools):
    return {"days": _plan(tools, min_lux=0)}
