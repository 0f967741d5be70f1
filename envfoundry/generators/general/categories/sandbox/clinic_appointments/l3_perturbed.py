from .l3_core import _rebook


def solve(tools):
    # books the replacement but leaves the old appointment in place
    return _rebook(tools, cancel=False)
