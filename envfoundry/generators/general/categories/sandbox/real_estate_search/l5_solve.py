from .l5_core import _team


def solve(tools):
    return _team(tools, by_commute=True)
