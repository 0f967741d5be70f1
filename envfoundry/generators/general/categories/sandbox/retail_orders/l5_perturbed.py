from .l5_core import _reorder


def solve(tools):
    # replaces discontinued products with the cheapest of the category, whatever its rating
    return _reorder(tools, keep_rating=False)
