from .l2_core import _week_slot
from .l2_params import NAMES


def solve(tools):
    return _week_slot(tools, NAMES)
