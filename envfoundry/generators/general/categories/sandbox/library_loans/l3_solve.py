from .l3_core import _return_then_borrow


def solve(tools):
    return _return_then_borrow(tools, overdue_only=True)
