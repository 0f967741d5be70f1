from .l1_core import _listing_ids


def solve(tools):
    # forgets the pets filter
    return _listing_ids(tools, pets=None)
