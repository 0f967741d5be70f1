from .l2_core import _book_afternoon


def solve(tools):
    # forgets to check the patient's existing appointments
    return _book_afternoon(tools, avoid_clashes=False)
