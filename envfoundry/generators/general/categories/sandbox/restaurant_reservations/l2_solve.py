from .l2_core import _free_vegan


def solve(tools):
    return _free_vegan(tools, check_tables=True)
