from .l2_core import _cheapest_section
from .l2_params import QTY


def solve(tools):
    return _cheapest_section(tools, QTY)
