from ..helpers import _malformed, _the_one
from .l3_params import FINES0, NAME, OVERDUE, TITLE
from .verify_lib import _book_id, _loan_ok, _member, _new_loans, _returns


def verify(answer, db):
    if _malformed(answer, returned_loan_ids="ints", new_loan_id="int"):
        return False, "answer needs 'returned_loan_ids' (integers) and 'new_loan_id'"
    m = _member(db, NAME)
    problem = _returns(db, m, answer["returned_loan_ids"], OVERDUE, FINES0, "overdue")
    if problem:
        return False, problem
    loan = _the_one(_new_loans(db, m["id"]), answer, "new_loan_id")
    if loan is None or not _loan_ok(loan):
        return False, "expected exactly one new active 21-day loan, the answered one"
    if loan["book_id"] != _book_id(db, TITLE) or loan["branch_id"] != m["home_branch_id"]:
        return False, f"the new loan must be a home-branch copy of {TITLE!r}"
    return True, "overdue loans returned, book borrowed"
