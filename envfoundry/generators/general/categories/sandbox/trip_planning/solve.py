from .planner import _plan


def solve(tools):
    return {"days": _plan(tools)}
