from .l3_params import NAME, TITLE
from .solve_lib import _book, _borrow, _free_copies, _return


def _return_then_borrow(tools, overdue_only):
    m = tools.find_member(name=NAME)
    listing = tools.list_loans(member_id=m["id"])
    late = [x for x in listing["loans"] if x["due_date"] < listing["today"] or not overdue_only]
    returned = _return(tools, late)
    free = _free_copies(tools, _book(tools, TITLE)["id"])
    copy = next(c for c in free if c["branch_id"] == m["home_branch_id"])
    return {"returned_loan_ids": returned, "new_loan_id": _borrow(tools, m, copy)}
