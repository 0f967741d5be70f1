from .l4_core import _restock


def solve(tools):
    # empties sources below their reorder points
    return _restock(tools, lambda s: 0)
