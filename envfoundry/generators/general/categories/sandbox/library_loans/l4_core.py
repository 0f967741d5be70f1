from .l4_params import NAME, TITLES
from .solve_lib import _book, _borrow, _due_by, _free_copies, _pick, _return


def _reading_list(tools, return_due):
    m = tools.find_member(name=NAME)
    listing = tools.list_loans(member_id=m["id"])
    soon = _due_by(listing, 3)
    due = [x for x in listing["loans"] if return_due and x["due_date"] <= soon]
    returned = _return(tools, due)
    slots = m["max_loans"] - (len(listing["loans"]) - len(returned))
    new: list[int] = []
    for title in TITLES:
        if len(new) >= slots:
            break
        free = _free_copies(tools, _book(tools, title)["id"])
        if free:
            new.append(_borrow(tools, m, _pick(m, free)))
    return {"returned_loan_ids": returned, "new_loan_ids": new}
