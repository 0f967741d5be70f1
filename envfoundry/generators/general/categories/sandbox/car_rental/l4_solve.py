from .l4_core import _two_cities


def solve(tools):
    return _two_cities(tools, same_class=True)
