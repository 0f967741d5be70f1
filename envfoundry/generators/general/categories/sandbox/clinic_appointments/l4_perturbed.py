from .l4_core import _book_earliest


def solve(tools):
    # ignores the patient's insurance
    return _book_earliest(tools, check_insurance=False)
