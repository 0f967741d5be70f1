from .l2_core import _reserve_suv


def solve(tools):
    return _reserve_suv(tools, near_miss=False)
