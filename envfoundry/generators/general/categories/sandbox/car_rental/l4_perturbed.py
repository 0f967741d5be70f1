from .l4_core import _two_cities


def solve(tools):
    # forgets that both cars must be of the same class
    return _two_cities(tools, same_class=False)
