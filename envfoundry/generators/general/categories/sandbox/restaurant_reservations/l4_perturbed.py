from .l4_core import _best_gluten_free


def solve(tools):
    # takes the best-rated gluten-free restaurant without checking tables
    return _best_gluten_free(tools, check_tables=False)
