from .l1_core import _doctor_ids


def solve(tools):
    # forgets the insurance filter
    return _doctor_ids(tools, None)
