from .l3_core import _largest_near


def solve(tools):
    # forgets the park requirement
    return _largest_near(tools, ("school",))
