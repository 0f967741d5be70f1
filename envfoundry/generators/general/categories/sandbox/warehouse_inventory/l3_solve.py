from .l3_core import _move_stock
from .l3_params import MAX_LEAD


def solve(tools):
    return _move_stock(tools, MAX_LEAD)
