from .l4_core import _book_earliest


def solve(tools):
    return _book_earliest(tools, check_insurance=True)
