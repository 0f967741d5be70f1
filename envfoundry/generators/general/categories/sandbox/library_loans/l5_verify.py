import datetime

from ..helpers import _listed
from .l5_params import BEFORE, FINES0, NAME, RENEW, RETURN
from .verify_lib import _member, _new_loans, _returns


def _untouched_or_renewed(db):
    for lid, (due, renewals) in BEFORE.items():
        row = db.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        if lid in RENEW:
            want = (datetime.date.fromisoformat(due) + datetime.timedelta(days=14)).isoformat()
            if row["due_date"] != want or row["renewals"] != renewals + 1 or row["return_date"]:
                return f"loan {lid} must be renewed once by 14 days"
        elif lid not in RETURN and (row["due_date"] != due or row["return_date"]):
            return f"loan {lid} is not due soon and must stay untouched"
    return ""


def verify(answer, db):
    problem = _listed(answer, renewed_loan_ids=RENEW, returned_loan_ids=RETURN)
    if problem:
        return False, problem
    m = _member(db, NAME)
    answered = answer["returned_loan_ids"]
    problem = _returns(db, m, answered, RETURN, FINES0, "non-renewable due-soon")
    if problem or _new_loans(db, m["id"]):
        return False, problem or "nothing may be borrowed"
    problem = _untouched_or_renewed(db)
    return (False, problem) if problem else (True, "loans renewed or returned")
