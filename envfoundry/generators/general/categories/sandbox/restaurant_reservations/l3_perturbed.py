from .l3_core import _move


def solve(tools):
    # forgets to cancel the old reservation
    return _move(tools, cancel=False)
