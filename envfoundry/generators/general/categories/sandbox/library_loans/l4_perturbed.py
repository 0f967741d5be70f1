from .l4_core import _reading_list


def solve(tools):
    # borrows without first returning the loans due soon
    return _reading_list(tools, return_due=False)
