from ..helpers import _malformed
from .l4_params import ACTIVE0, DUE_SOON, FINES0, HOME, LIMIT, NAME, TITLES_AVAIL
from .verify_lib import _loan_ok, _member, _new_loans, _returns


def _titles(db, loans):
    out = {}
    for n in loans:
        title = db.execute("SELECT title FROM books WHERE id = ?", (n["book_id"],)).fetchone()[0]
        out[title] = n
    return out


def verify(answer, db):
    if _malformed(answer, returned_loan_ids="ints", new_loan_ids="ints"):
        return False, "answer needs integer lists 'returned_loan_ids' and 'new_loan_ids'"
    m = _member(db, NAME)
    answered = answer["returned_loan_ids"]
    problem = _returns(db, m, answered, DUE_SOON, FINES0, "due within 3 days")
    if problem:
        return False, problem
    new = _new_loans(db, m["id"])
    if sorted(answer["new_loan_ids"]) != [n["id"] for n in new] or not all(map(_loan_ok, new)):
        return False, "new_loan_ids must be exactly the member's new active loans"
    slots = LIMIT - (ACTIVE0 - len(DUE_SOON))
    want = [title for title, branches in TITLES_AVAIL.items() if branches][:slots]
    got = _titles(db, new)
    if sorted(got) != sorted(want):
        return False, f"expected loans of {want}"
    for title, n in got.items():
        if HOME in TITLES_AVAIL[title] and n["branch_id"] != HOME:
            return False, f"{title} was available at the home branch"
    return True, "reading list borrowed"
