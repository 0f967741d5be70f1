from .l5_core import _move


def solve(tools):
    return _move(tools, cancel_followup=True)
