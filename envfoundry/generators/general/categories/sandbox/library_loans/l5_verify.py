import datetime

from ..helpers import _listed
from .l5_params import NAME, RENEW, RETURN
from .verify_lib import _member, _new_loans, _own_changes


def _renewed(before, db):
    for lid in RENEW:
        old = before.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        row = db.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        due = datetime.date.fromisoformat(old["due_date"]) + datetime.timedelta(days=14)
        if row["due_date"] != due.isoformat() or row["renewals"] != old["renewals"] + 1:
            return f"loan {lid} must be renewed once by 14 days"
    return ""


def verify(answer, db, before, changes):
    # both lists in any order, each id once
    problem = _listed(answer, renewed_loan_ids=RENEW, returned_loan_ids=RETURN)
    if problem:
        return False, problem
    m = _member(before, NAME)
    problem = _own_changes(before, db, changes, m["id"], returns=RETURN, renews=RENEW)
    if problem or _new_loans(db, before, m["id"]):
        return False, problem or "nothing may be borrowed"
    problem = _renewed(before, db)
    return (False, problem) if problem else (True, "loans renewed or returned")
