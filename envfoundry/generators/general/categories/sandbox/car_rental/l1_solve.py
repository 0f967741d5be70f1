from .l1_core import _cheapest_car


def solve(tools):
    return _cheapest_car(tools, runner_up=False)
