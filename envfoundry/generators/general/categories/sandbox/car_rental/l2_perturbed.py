from .l2_core import _reserve_suv


def solve(tools):
    # ignores the transmission
    return _reserve_suv(tools, automatic_only=False)
