from .l1_core import _restaurant_ids


def solve(tools):
    return _restaurant_ids(tools, vegan_only=True)
