from .l3_core import _book_afternoon


def solve(tools):
    return _book_afternoon(tools, avoid_clashes=True)
