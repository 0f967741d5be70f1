from .l1_core import _listing_ids


def solve(tools):
    return _listing_ids(tools, pets=True)
