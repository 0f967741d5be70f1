from .l4_core import _replace


def solve(tools):
    # forgets to cancel the old reservation
    return _replace(tools, cancel=False)
