from .l4_core import _return_items


def solve(tools):
    # returns every item of the eligible orders, not only the asked category
    return _return_items(tools, category_only=False)
