from .l2_core import _reserve_suv


def solve(tools):
    # ignores the transmission, or settles for the runner-up price
    return _reserve_suv(tools, near_miss=True)
