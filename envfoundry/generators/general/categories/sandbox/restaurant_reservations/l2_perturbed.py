from .l2_core import _free_vegan


def solve(tools):
    # lists every vegan restaurant without checking its tables
    return _free_vegan(tools, check_tables=False)
