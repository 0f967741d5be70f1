from .l4_core import _family_visit


def solve(tools):
    return _family_visit(tools, min)
