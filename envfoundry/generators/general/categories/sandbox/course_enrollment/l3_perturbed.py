from .l3_core import _two_courses


def solve(tools):
    # takes the pair with the most credits and forgets the credit limit
    return _two_courses(tools, max, check_limit=False)
