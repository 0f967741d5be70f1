from .planner import _plan


def solve(tools):
    # level 5: forgets the luxury-nights requirement
    return {"days": _plan(tools, min_lux=0)}
