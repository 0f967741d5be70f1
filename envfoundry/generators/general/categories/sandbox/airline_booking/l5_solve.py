from .l3_core import _connect
from .l3_params import LAYOVER


def solve(tools):
    return _connect(tools, LAYOVER[0])
