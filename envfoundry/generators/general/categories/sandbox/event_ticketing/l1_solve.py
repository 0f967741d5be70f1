from .l1_core import _cheapest_section
from .l1_params import QTY


def solve(tools):
    return _cheapest_section(tools, QTY)
