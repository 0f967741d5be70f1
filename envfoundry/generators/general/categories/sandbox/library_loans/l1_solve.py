from .l1_core import _branches


def solve(tools):
    return _branches(tools, available_only=True)
