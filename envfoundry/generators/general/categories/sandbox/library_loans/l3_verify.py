

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("returned_loan_ids")) \
            or not _int(answer.get("new_loan_id")):
        return False, "answer needs 'returned_loan_ids' (integers) and 'new_loan_id'"
    m = _member(db, {{NAME}})
    if sorted(answer["returned_loan_ids"]) != sorted({{OVERDUE}}) or _returned(db, m["id"]) != sorted({{OVERDUE}}):
        return False, "exactly the overdue loans must be returned"
    if not _fees_ok(db, m["id"], {{OVERDUE}}, {{FINES0}}):
        return False, "late fees or copy statuses do not match the returns"
    new = _new_loans(db, m["id"])
    if len(new) != 1 or new[0]["id"] != answer["new_loan_id"] or not _loan_ok(new[0]):
        return False, "expected exactly one new active 21-day loan, the answered one"
    book = db.execute("SELECT id FROM books WHERE title = ?", ({{TITLE}},)).fetchone()[0]
    if new[0]["book_id"] != book or new[0]["branch_id"] != m["home_branch_id"]:
        return False, "the new loan must be a home-branch copy of {{TITLE}}"
    return True, "overdue loans returned, book borrowed"
