from .l3_core import _move_stock


def solve(tools):
    # forgets the lead-time limit
    return _move_stock(tools, 99)
