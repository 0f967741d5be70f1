from .l1_core import _restaurant_ids


def solve(tools):
    # forgets the vegan requirement
    return _restaurant_ids(tools, vegan_only=False)
