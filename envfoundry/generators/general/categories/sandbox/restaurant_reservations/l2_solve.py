from .l2_core import _book_dinner


def solve(tools):
    return _book_dinner(tools, vegetarian_only=True)
