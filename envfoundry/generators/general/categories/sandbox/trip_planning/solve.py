

def solve(tools):
    return {"days": _plan(tools)}
