from .l1_core import _branches


def solve(tools):
    # counts copies on loan too
    return _branches(tools, available_only=False)
