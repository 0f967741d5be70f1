from .l1_core import _below


def solve(tools):
    return _below(tools, or_at=False)
