from .l1_core import _below


def solve(tools):
    # also lists the warehouses exactly at their reorder point
    return _below(tools, or_at=True)
