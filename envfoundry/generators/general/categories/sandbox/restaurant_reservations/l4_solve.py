from .l4_core import _best_gluten_free


def solve(tools):
    return _best_gluten_free(tools, check_tables=True)
