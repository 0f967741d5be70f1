from .l2_core import _book_afternoon


def solve(tools):
    return _book_afternoon(tools, avoid_clashes=True)
