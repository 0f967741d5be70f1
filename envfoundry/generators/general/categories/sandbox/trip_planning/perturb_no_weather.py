from .planner import _plan


def solve(tools):
    # level 4: plans without looking at the forecast (outdoor sights on rainy days)
    return {"days": _plan(tools, use_weather=False)}
