from .l5_core import _family_visit


def solve(tools):
    return _family_visit(tools, min)
