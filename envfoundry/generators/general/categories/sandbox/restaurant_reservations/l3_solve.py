from .l3_core import _dinners


def solve(tools):
    return _dinners(tools, vegan_only=True)
