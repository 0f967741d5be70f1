from .l3_core import _reserve_by_fuel


def solve(tools):
    # ignores the fuel preference
    return _reserve_by_fuel(tools, [None])
