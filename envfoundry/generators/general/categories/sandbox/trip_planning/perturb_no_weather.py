

def solve(tools):
    return {"days": _plan(tools, use_weather=False)}
