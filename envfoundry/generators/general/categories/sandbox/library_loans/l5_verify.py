

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("renewed_loan_ids")) \
            or not _int_list(answer.get("returned_loan_ids")):
        return False, "answer needs integer lists 'renewed_loan_ids' and 'returned_loan_ids'"
    if sorted(answer["renewed_loan_ids"]) != sorted({{RENEW}}):
        return False, "renewed_loan_ids must be the renewable loans due within 5 days"
    if sorted(answer["returned_loan_ids"]) != sorted({{RETURN}}):
        return False, "returned_loan_ids must be the non-renewable loans due within 5 days"
    m = _member(db, {{NAME}})
    if _returned(db, m["id"]) != sorted({{RETURN}}) or _new_loans(db, m["id"]):
        return False, "only the non-renewable loans due soon may be returned, nothing borrowed"
    for lid, (due, renewals) in {{BEFORE}}.items():
        row = db.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        if lid in {{RENEW}}:
            want = (datetime.date.fromisoformat(due) + datetime.timedelta(days=14)).isoformat()
            if row["due_date"] != want or row["renewals"] != renewals + 1 or row["return_date"]:
                return False, f"loan {lid} must be renewed once by 14 days"
        elif lid not in {{RETURN}} and (row["due_date"] != due or row["return_date"]):
            return False, f"loan {lid} is not due soon and must stay untouched"
    if not _fees_ok(db, m["id"], {{RETURN}}, {{FINES0}}):
        return False, "late fees or copy statuses do not match the returns"
    return True, "loans renewed or returned"
