from .l2_core import _borrow_title


def solve(tools):
    # takes the first available copy, wherever it is
    return _borrow_title(tools, prefer_home=False)
