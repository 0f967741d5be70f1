from .l3_core import _buy_earliest
from .l3_params import CAP


def solve(tools):
    return _buy_earliest(tools, CAP)
