from .l1_core import _open_courses


def solve(tools):
    # lists full courses too
    return _open_courses(tools, seats=False)
