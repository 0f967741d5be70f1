from ..helpers import _the_one
from .l2_params import HOME_FREE, NAME, TITLE
from .verify_lib import _book_id, _loan_ok, _member, _new_loans


def verify(answer, db):
    m = _member(db, NAME)
    loan = _the_one(_new_loans(db, m["id"]), answer, "loan_id")
    if loan is None or not _loan_ok(loan):
        return False, "expected exactly one new active 21-day loan, the answered one"
    if loan["book_id"] != _book_id(db, TITLE):
        return False, f"the loan is not a copy of {TITLE!r}"
    if HOME_FREE and loan["branch_id"] != m["home_branch_id"]:
        return False, "the home branch had an available copy"
    return True, "copy borrowed"
