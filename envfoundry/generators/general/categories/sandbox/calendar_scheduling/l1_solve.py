from .l1_core import _first_slot


def solve(tools):
    return _first_slot(tools, hours_of=2)
