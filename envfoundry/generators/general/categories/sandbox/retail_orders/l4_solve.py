from .l4_core import _return_items


def solve(tools):
    return _return_items(tools, category_only=True)
