from ..helpers import _malformed, _the_one
from .l3_params import NAME, TITLE
from .verify_lib import _book_id, _loan_ok, _member, _new_loans, _open_loans, _returns, _today


def verify(answer, db, before, changes):
    if _malformed(answer, returned_loan_ids="ints", new_loan_id="int"):
        return False, "answer needs 'returned_loan_ids' (integers) and 'new_loan_id'"
    m = _member(before, NAME)
    today = _today(before)
    overdue = [r["id"] for r in _open_loans(before, m["id"]) if r["due_date"] < today]
    answered = answer["returned_loan_ids"]
    problem = _returns(before, db, changes, m, answered, overdue, "overdue")
    if problem:
        return False, problem
    loan = _the_one(_new_loans(db, before, m["id"]), answer, "new_loan_id")
    if loan is None or not _loan_ok(loan, today):
        return False, "expected exactly one new active 21-day loan, the answered one"
    if loan["book_id"] != _book_id(before, TITLE) or loan["branch_id"] != m["home_branch_id"]:
        return False, f"the new loan must be a home-branch copy of {TITLE!r}"
    return True, "overdue loans returned, book borrowed"
