from .l4_core import _clear


def solve(tools):
    # handles every active order, whatever its date
    return _clear(tools, day_only=False)
