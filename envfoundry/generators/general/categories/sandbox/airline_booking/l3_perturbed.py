from .l3_core import _rebook


def solve(tools):
    # forgets to cancel the booking on the cancelled flight
    return _rebook(tools, cancel=False)
