
AVAIL = {{TITLES_AVAIL}}
HOME = {{HOME}}


def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("returned_loan_ids")) \
            or not _int_list(answer.get("new_loan_ids")):
        return False, "answer needs integer lists 'returned_loan_ids' and 'new_loan_ids'"
    m = _member(db, {{NAME}})
    if sorted(answer["returned_loan_ids"]) != sorted({{DUE_SOON}}) or _returned(db, m["id"]) != sorted({{DUE_SOON}}):
        return False, "exactly the loans due within 3 days must be returned"
    if not _fees_ok(db, m["id"], {{DUE_SOON}}, {{FINES0}}):
        return False, "late fees or copy statuses do not match the returns"
    new = _new_loans(db, m["id"])
    if sorted(answer["new_loan_ids"]) != [n["id"] for n in new] or not all(_loan_ok(n) for n in new):
        return False, "new_loan_ids must be exactly the member's new active loans"
    slots = {{LIMIT}} - ({{ACTIVE0}} - len({{DUE_SOON}}))
    want = [title for title, branches in AVAIL.items() if branches][:slots]
    got = {}
    for n in new:
        title = db.execute("SELECT title FROM books WHERE id = ?", (n["book_id"],)).fetchone()[0]
        got[title] = n
    if sorted(got) != sorted(want):
        return False, f"expected loans of {want}"
    for title, n in got.items():
        if HOME in AVAIL[title] and n["branch_id"] != HOME:
            return False, f"{title} was available at the home branch"
    return True, "reading list borrowed"
