from .l3_core import _two_courses


def solve(tools):
    return _two_courses(tools, min, check_limit=True)
