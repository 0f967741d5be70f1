from .l5_core import _weekend


def solve(tools):
    # forgets that dates, venues and categories must all differ
    return _weekend(tools, distinct=False)
