
def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("branch_ids")):
        return False, "answer must be an object with a list of integer 'branch_ids'"
    book = db.execute("SELECT id FROM books WHERE author = ? ORDER BY year DESC LIMIT 1",
                      ({{AUTHOR}},)).fetchone()[0]
    want = sorted({r[0] for r in db.execute(
        "SELECT branch_id FROM copies WHERE book_id = ? AND status = 'available'", (book,))})
    if answer["branch_ids"] != want:
        return False, f"expected the ascending branch ids {want}"
    return True, "exact branches"
