from .l3_core import _dinners


def solve(tools):
    # forgets the vegan requirement
    return _dinners(tools, vegan_only=False)
