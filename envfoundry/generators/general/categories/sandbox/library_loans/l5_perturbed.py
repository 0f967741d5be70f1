from .l5_core import _due_soon, _reading_list
from .solve_lib import _return


def solve(tools):
    # returns every loan due soon instead of renewing what can be renewed (and so borrows
    # with more slots than the card has left)
    m, active, soon = _due_soon(tools)
    returned = _return(tools, soon)
    new = _reading_list(tools, m, m["max_loans"] - (len(active) - len(returned)))
    return {"renewed_loan_ids": [], "returned_loan_ids": returned, "new_loan_ids": new}
