from .l5_core import _connect
from .l5_params import LAYOVER


def solve(tools):
    return _connect(tools, LAYOVER[0])
