

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("loan_id")):
        return False, "answer must be an object with an integer 'loan_id'"
    m = _member(db, {{NAME}})
    new = _new_loans(db, m["id"])
    if len(new) != 1 or new[0]["id"] != answer["loan_id"] or not _loan_ok(new[0]):
        return False, "expected exactly one new active 21-day loan, the answered one"
    book = db.execute("SELECT id FROM books WHERE title = ?", ({{TITLE}},)).fetchone()[0]
    if new[0]["book_id"] != book:
        return False, "the loan is not a copy of {{TITLE}}"
    if {{HOME_FREE}} and new[0]["branch_id"] != m["home_branch_id"]:
        return False, "the home branch had an available copy"
    return True, "copy borrowed"
