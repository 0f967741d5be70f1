from ..helpers import _malformed
from .l4_params import HOME, LIMIT, NAME, TITLES_AVAIL
from .verify_lib import _due_by, _loan_ok, _member, _new_loans, _open_loans, _returns, _today


def _titles(db, loans):
    out = {}
    for n in loans:
        title = db.execute("SELECT title FROM books WHERE id = ?", (n["book_id"],)).fetchone()[0]
        out[title] = n
    return out


def verify(answer, db, before, changes):
    if _malformed(answer, returned_loan_ids="ints", new_loan_ids="ints"):
        return False, "answer needs integer lists 'returned_loan_ids' and 'new_loan_ids'"
    m = _member(before, NAME)
    active = _open_loans(before, m["id"])
    soon = [r["id"] for r in active if r["due_date"] <= _due_by(before, 3)]
    answered = answer["returned_loan_ids"]
    problem = _returns(before, db, changes, m, answered, soon, "due within 3 days")
    if problem:
        return False, problem
    new = _new_loans(db, before, m["id"])
    today = _today(before)
    # the new loans in any order, each once
    if sorted(answer["new_loan_ids"]) != [n["id"] for n in new] or not all(
        _loan_ok(n, today) for n in new
    ):
        return False, "new_loan_ids must be exactly the member's new active loans"
    # the books available at the start, in priority order, up to the card's free slots
    slots = LIMIT - (len(active) - len(soon))
    want = [title for title, branches in TITLES_AVAIL.items() if branches][:slots]
    got = _titles(db, new)
    if sorted(got) != sorted(want) or len(got) != len(new):
        return False, "the new loans are not the available listed books in priority order"
    for title, n in got.items():
        if HOME in TITLES_AVAIL[title] and n["branch_id"] != HOME:
            return False, f"{title} was available at the home branch"
    return True, "reading list borrowed"
