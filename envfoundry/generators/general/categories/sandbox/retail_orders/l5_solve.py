from .l5_core import _reorder


def solve(tools):
    return _reorder(tools, keep_rating=True)
