from .l2_core import _buy_earliest
from .l2_params import CAP


def solve(tools):
    return _buy_earliest(tools, CAP)
