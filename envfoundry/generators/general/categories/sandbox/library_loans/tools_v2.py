
def renew_loan(db, loan_id):
    """Extend an active, not overdue loan by 14 days; refused when another member holds the
    book or the loan was already renewed twice."""
    loan = _get(db, "loans", loan_id, "loan_id")
    if loan["return_date"] is not None:
        raise ValueError(f"loan {loan_id} was returned")
    due = datetime.date.fromisoformat(loan["due_date"])
    if due < _today(db):
        raise ValueError("overdue loans cannot be renewed")
    if loan["renewals"] >= 2:
        raise ValueError("a loan can be renewed at most twice")
    book = db.execute("SELECT book_id FROM copies WHERE id = ?", (loan["copy_id"],)).fetchone()[0]
    if db.execute("SELECT 1 FROM holds WHERE book_id = ? AND member_id != ? AND status = 'active'",
                  (book, loan["member_id"])).fetchone():
        raise ValueError("another member has a hold on this book")
    new_due = (due + datetime.timedelta(days=14)).isoformat()
    db.execute("UPDATE loans SET due_date = ?, renewals = renewals + 1 WHERE id = ?", (new_due, loan_id))
    return {"loan_id": loan_id, "due_date": new_due}
