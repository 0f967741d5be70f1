from .l2_core import _book_business
from .l2_params import CAP


def solve(tools):
    return _book_business(tools, CAP)
