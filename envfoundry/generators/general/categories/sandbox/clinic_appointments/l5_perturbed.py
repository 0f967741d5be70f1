from .l5_core import _family_visit


def solve(tools):
    # a valid-looking family visit, but it never checks the fee budget
    return _family_visit(tools, max)
