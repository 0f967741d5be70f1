from .l3_core import _connect
from .l3_params import MIN_GAP


def solve(tools):
    return _connect(tools, MIN_GAP)
