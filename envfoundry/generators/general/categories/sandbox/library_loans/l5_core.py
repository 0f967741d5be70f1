from .l5_params import NAME, TITLES
from .solve_lib import _book, _borrow, _due_by, _free_copies, _pick


def _due_soon(tools):
    """The member and their active loans: all of them, and those due within 5 days."""
    m = tools.find_member(name=NAME)
    listing = tools.list_loans(member_id=m["id"])
    soon = _due_by(listing, 5)
    return m, listing["loans"], [x for x in listing["loans"] if x["due_date"] <= soon]


def _reading_list(tools, m, slots):
    """Borrow the listed books in priority order (home branch first) while slots last."""
    new: list[int] = []
    for title in TITLES:
        if len(new) >= slots:
            break
        free = _free_copies(tools, _book(tools, title)["id"])
        if free:
            new.append(_borrow(tools, m, _pick(m, free)))
    return new
