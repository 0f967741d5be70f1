from .l1_core import _open_courses


def solve(tools):
    return _open_courses(tools, seats=True)
