from .l4_core import _reading_list


def solve(tools):
    return _reading_list(tools, return_due=True)
