from .l2_core import _borrow_title


def solve(tools):
    return _borrow_title(tools, prefer_home=True)
