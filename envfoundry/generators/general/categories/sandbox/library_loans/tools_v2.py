# Toolset v2 adds renewing a loan.
import datetime

from .tools_v1 import _open_loan, _today_date


def renew_loan(db, loan_id):
    """Extend an active, not overdue loan by 14 days; refused when another member holds the
    book or the loan was already renewed twice."""
    loan = _open_loan(db, loan_id)
    due = datetime.date.fromisoformat(loan["due_date"])
    if due < _today_date(db):
        raise ValueError("overdue loans cannot be renewed")
    if loan["renewals"] >= 2:
        raise ValueError("a loan can be renewed at most twice")
    book = db.execute("SELECT book_id FROM copies WHERE id = ?", (loan["copy_id"],)).fetchone()[0]
    if db.execute(
        "SELECT 1 FROM holds WHERE book_id = ? AND member_id != ? AND status = 'active'",
        (book, loan["member_id"]),
    ).fetchone():
        raise ValueError("another member has a hold on this book")
    new_due = (due + datetime.timedelta(days=14)).isoformat()
    db.execute(
        "UPDATE loans SET due_date = ?, renewals = renewals + 1 WHERE id = ?", (new_due, loan_id)
    )
    return {"loan_id": loan_id, "due_date": new_due}
