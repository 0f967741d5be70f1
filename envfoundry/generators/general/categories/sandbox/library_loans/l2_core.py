from .l2_params import NAME, TITLE
from .solve_lib import _book, _borrow, _free_copies, _pick


def _borrow_title(tools, prefer_home):
    m = tools.find_member(name=NAME)
    free = _free_copies(tools, _book(tools, TITLE)["id"])
    return {"loan_id": _borrow(tools, m, _pick(m, free, prefer_home))}
