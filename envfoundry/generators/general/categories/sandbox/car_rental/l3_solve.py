from .l3_core import _reserve_by_fuel
from .l3_params import FUELS


def solve(tools):
    return _reserve_by_fuel(tools, FUELS)
