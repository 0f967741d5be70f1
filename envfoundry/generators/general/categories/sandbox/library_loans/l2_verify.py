from ..helpers import _the_one, _verdict
from .l2_params import NAME, TITLE
from .verify_lib import _book_id, _loan_ok, _member, _new_loans, _own_changes, _today


def verify(answer, db, before, changes):
    m = _member(before, NAME)
    loan = _the_one(_new_loans(db, before, m["id"]), answer, "loan_id")
    if loan is None or not _loan_ok(loan, _today(before)):
        return False, "expected exactly one new active 21-day loan, the answered one"
    book = _book_id(before, TITLE)
    if loan["book_id"] != book:
        return False, f"the loan is not a copy of {TITLE!r}"
    home_free = before.execute(
        "SELECT 1 FROM copies WHERE book_id = ? AND branch_id = ? AND status = 'available'",
        (book, m["home_branch_id"]),
    ).fetchone()
    if home_free and loan["branch_id"] != m["home_branch_id"]:
        return False, "the home branch had an available copy"
    return _verdict(_own_changes(before, db, changes, m["id"]), "copy borrowed")
