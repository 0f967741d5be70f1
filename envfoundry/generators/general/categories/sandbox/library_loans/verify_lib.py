"""Verifier helpers: the member's new loans and returns, and the episode's changes (only the
member's own loans, returns, renewals, fines and the copies they move)."""

import datetime

from ..helpers import _dicts, _today, _unexpected_change

_NEW_LOANS = (
    "SELECT l.*, c.book_id, c.branch_id, c.status AS cstatus FROM loans l"
    " JOIN copies c ON c.id = l.copy_id WHERE l.member_id = ? AND l.id > ?"
    " AND l.return_date IS NULL ORDER BY l.id"
)


def _member(db, name):
    return db.execute("SELECT * FROM members WHERE name = ?", (name,)).fetchone()


def _new_loans(db, before, mid):
    """The member's loans made during the episode and still open, with their copies."""
    last = before.execute("SELECT COALESCE(MAX(id), 0) FROM loans").fetchone()[0]
    return _dicts(db, _NEW_LOANS, (mid, last))


def _loan_ok(loan, today):
    due = (datetime.date.fromisoformat(today) + datetime.timedelta(days=21)).isoformat()
    return (
        loan["return_date"] is None
        and loan["due_date"] == due
        and loan["loan_date"] == today
        and loan["cstatus"] == "on_loan"
    )


def _copies_follow(before, db, changes):
    """Why a copy the episode touched is not on loan exactly when it has an open loan."""
    touched = {c["key"]["id"] for c in changes if c["table"] == "copies"}
    touched |= {c["row"]["copy_id"] for c in changes if c["op"] == "insert"}
    for copy_id in sorted(touched):
        open_ = db.execute(
            "SELECT COUNT(*) FROM loans WHERE copy_id = ? AND return_date IS NULL", (copy_id,)
        ).fetchone()[0]
        status = db.execute("SELECT status FROM copies WHERE id = ?", (copy_id,)).fetchone()[0]
        if status != ("on_loan" if open_ else "available"):
            return f"copy {copy_id} is {status} but has {open_} open loans"
    return ""


def _fees_follow(before, db, mid, returned):
    """Why a returned loan's late fee, or the member's fines, do not follow the returns."""
    today = datetime.date.fromisoformat(_today(before))
    fee = 0.0
    for lid in returned:
        row = db.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        days = (today - datetime.date.fromisoformat(row["due_date"])).days
        if row["return_date"] != today.isoformat():
            return f"loan {lid} must be returned today"
        if abs(row["late_fee"] - max(0, days) * 0.25) > 1e-6:
            return f"loan {lid} has the wrong late fee"
        fee += row["late_fee"]
    fines0 = before.execute("SELECT fines_due FROM members WHERE id = ?", (mid,)).fetchone()[0]
    fines = db.execute("SELECT fines_due FROM members WHERE id = ?", (mid,)).fetchone()[0]
    if abs(fines - (fines0 + fee)) > 1e-6:
        return "the member's fines do not match the late fees"
    return ""


def _own_changes(before, db, changes, mid, returns=(), renews=()):
    """Why the episode changed more than: the member's new loans (a loan anyone returned the
    same day without a fee is an undone checkout), the ``returns`` and ``renews`` of their loans, their fines
    and the copies these move; or ``""``."""
    today = _today(before)
    problem = _unexpected_change(
        changes,
        ("insert", "loans", {"member_id": mid, "loan_date": today, "renewals": 0}),
        # anyone's checkout returned the same day without a fee was undone
        ("insert", "loans", {"loan_date": today, "return_date": today, "late_fee": 0}),
        ("update", "copies", {}, ("status",)),
        ("update", "members", {"id": mid}, ("fines_due",)),
        ("update", "loans", {"id": set(returns)}, ("return_date", "late_fee")),
        ("update", "loans", {"id": set(renews)}, ("due_date", "renewals")),
    )
    undone = [c["row"] for c in changes if c["op"] == "insert" and c["row"]["return_date"]]
    if not problem and any(r["return_date"] != today or r["late_fee"] for r in undone):
        problem = "a new loan was returned with a fee"
    return problem or _copies_follow(before, db, changes) or _fees_follow(before, db, mid, returns)


def _returns(before, db, changes, member, answered, expected, what):
    """Why the member's returns (in any order) are not exactly the ``expected`` loans, or
    why anything else changed; or ``""``."""
    if sorted(answered) != sorted(expected):
        return f"returned_loan_ids must list exactly the {what} loans, each once"
    return _own_changes(before, db, changes, member["id"], returns=expected)


def _book_id(db, title):
    return db.execute("SELECT id FROM books WHERE title = ?", (title,)).fetchone()[0]


def _open_loans(before, mid):
    sql = "SELECT * FROM loans WHERE member_id = ? AND return_date IS NULL ORDER BY id"
    return before.execute(sql, (mid,)).fetchall()


def _due_by(before, days):
    today = datetime.date.fromisoformat(_today(before))
    return (today + datetime.timedelta(days=days)).isoformat()
