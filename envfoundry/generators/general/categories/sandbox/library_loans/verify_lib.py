"""Verifier helpers: the member's new loans, returns and fines after the episode."""

import datetime

from ..helpers import _dicts

MAX_LOAN: int = 0
TODAY: str = "2025-05-01"
_NEW_LOANS = (
    "SELECT l.*, c.book_id, c.branch_id, c.status AS cstatus FROM loans l"
    " JOIN copies c ON c.id = l.copy_id WHERE l.member_id = ? AND l.id > ? ORDER BY l.id"
)


def _member(db, name):
    return db.execute("SELECT * FROM members WHERE name = ?", (name,)).fetchone()


def _new_loans(db, mid):
    """The member's loans made during the episode, with their copies."""
    return _dicts(db, _NEW_LOANS, (mid, MAX_LOAN))


def _returned(db, mid):
    return sorted(
        r[0]
        for r in db.execute(
            "SELECT id FROM loans WHERE member_id = ? AND id <= ? AND return_date IS NOT NULL"
            " AND return_date = ?",
            (mid, MAX_LOAN, TODAY),
        )
    )


def _loan_ok(loan):
    due = (datetime.date.fromisoformat(TODAY) + datetime.timedelta(days=21)).isoformat()
    return (
        loan["return_date"] is None
        and loan["due_date"] == due
        and loan["loan_date"] == TODAY
        and loan["cstatus"] == "on_loan"
    )


def _fees_ok(db, mid, ids, fines0):
    fee = 0.0
    for lid in ids:
        row = db.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        due = datetime.date.fromisoformat(row["due_date"])
        days = (datetime.date.fromisoformat(TODAY) - due).days
        if abs(row["late_fee"] - max(0, days) * 0.25) > 1e-6:
            return False
        fee += row["late_fee"]
    fines = db.execute("SELECT fines_due FROM members WHERE id = ?", (mid,)).fetchone()[0]
    copies_back = all(
        db.execute(
            "SELECT c.status FROM loans l JOIN copies c ON c.id = l.copy_id WHERE l.id = ?",
            (lid,),
        ).fetchone()[0]
        == "available"
        for lid in ids
    )
    return copies_back and abs(fines - (fines0 + fee)) < 1e-6


def _returns(db, member, answered, expected, fines0, what):
    """Why the member's returns are not exactly the ``expected`` loans, or ``""``."""
    if sorted(answered) != sorted(expected) or _returned(db, member["id"]) != sorted(expected):
        return f"exactly the {what} loans must be returned"
    if not _fees_ok(db, member["id"], expected, fines0):
        return "late fees or copy statuses do not match the returns"
    return ""


def _book_id(db, title):
    return db.execute("SELECT id FROM books WHERE title = ?", (title,)).fetchone()[0]
