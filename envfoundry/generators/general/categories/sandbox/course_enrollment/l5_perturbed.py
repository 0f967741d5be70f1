from .l5_core import _swap


def solve(tools):
    # enrols in the required course but leaves the clashing course in place
    return _swap(tools, drop=False)
