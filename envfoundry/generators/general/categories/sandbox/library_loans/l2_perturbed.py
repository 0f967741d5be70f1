from .l2_core import _borrow_title


def solve(tools):
    # takes an available copy at another branch, not the home one
    return _borrow_title(tools, prefer_home=False)
