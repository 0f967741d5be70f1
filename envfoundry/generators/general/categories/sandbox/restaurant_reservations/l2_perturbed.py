from .l2_core import _book_dinner


def solve(tools):
    # ignores the vegetarian requirement
    return _book_dinner(tools, vegetarian_only=False)
