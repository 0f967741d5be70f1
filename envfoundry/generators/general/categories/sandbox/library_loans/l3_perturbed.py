from .l3_core import _return_then_borrow


def solve(tools):
    # returns every loan, not only the overdue ones
    return _return_then_borrow(tools, overdue_only=False)
