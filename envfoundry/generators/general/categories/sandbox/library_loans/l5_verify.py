import datetime

from ..helpers import _listed, _malformed
from .l5_params import HOME, LIMIT, NAME, RENEW, RETURN, TITLES_AVAIL
from .verify_lib import _loan_ok, _member, _new_loans, _open_loans, _own_changes, _today


def _renewed(before, db):
    for lid in RENEW:
        old = before.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        row = db.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        due = datetime.date.fromisoformat(old["due_date"]) + datetime.timedelta(days=14)
        if row["due_date"] != due.isoformat() or row["renewals"] != old["renewals"] + 1:
            return f"loan {lid} must be renewed once by 14 days"
    return ""


def _borrowed(answer, db, before, mid):
    """Why the new loans are not the reading list's available books, by priority, up to the
    slots left once the right loans were returned (and the renewed ones kept); or ``""``."""
    new = _new_loans(db, before, mid)
    today = _today(before)
    if sorted(answer["new_loan_ids"]) != [n["id"] for n in new] or not all(
        _loan_ok(n, today) for n in new
    ):
        return "new_loan_ids must be exactly the member's new active loans"
    slots = LIMIT - (len(_open_loans(before, mid)) - len(RETURN))
    want = [title for title, branches in TITLES_AVAIL.items() if branches][:slots]
    got = {}
    for n in new:
        sql = "SELECT title FROM books WHERE id = ?"
        got[db.execute(sql, (n["book_id"],)).fetchone()[0]] = n
    if sorted(got) != sorted(want) or len(got) != len(new):
        return "the new loans are not the available listed books in priority order"
    for title, n in got.items():
        if HOME in TITLES_AVAIL[title] and n["branch_id"] != HOME:
            return f"{title} was available at the home branch"
    return ""


def verify(answer, db, before, changes):
    problem = _malformed(answer, new_loan_ids="ints")
    # the renewal and return lists in any order, each id once
    problem = problem or _listed(answer, renewed_loan_ids=RENEW, returned_loan_ids=RETURN)
    if problem:
        return False, problem
    m = _member(before, NAME)
    problem = _own_changes(before, db, changes, m["id"], returns=RETURN, renews=RENEW)
    problem = problem or _renewed(before, db) or _borrowed(answer, db, before, m["id"])
    return (False, problem) if problem else (True, "loans settled, reading list borrowed")
