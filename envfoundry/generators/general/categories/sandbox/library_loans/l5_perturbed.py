from .l5_core import _due_soon
from .solve_lib import _return


def solve(tools):
    # returns every loan due soon instead of renewing what can be renewed
    return {"renewed_loan_ids": [], "returned_loan_ids": _return(tools, _due_soon(tools))}
