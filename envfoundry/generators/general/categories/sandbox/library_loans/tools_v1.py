"""Public library tools: catalog, copies per branch, members, loans (21 days, 0.25 per day
late). Card limits: standard 5 loans, premium 10, child 3; fines over 10 block checkouts."""

import datetime

from ..helpers import _by_id, _by_id_with, _canon, _dicts, _insert, _named, _rows_of, _today

LOAN_DAYS = 21
LATE_FEE = 0.25
LIMITS = {"standard": 5, "premium": 10, "child": 3}
_LOANS = (
    "SELECT l.id AS loan_id, l.copy_id, c.book_id, k.title, c.branch_id, l.loan_date,"
    " l.due_date, l.renewals FROM loans l JOIN copies c ON c.id = l.copy_id"
    " JOIN books k ON k.id = c.book_id WHERE l.member_id = ? AND l.return_date IS NULL"
    " ORDER BY l.id"
)


def _today_date(db):
    return datetime.date.fromisoformat(_today(db))


def _open_loans(db, member_id):
    return db.execute(
        "SELECT COUNT(*) FROM loans WHERE member_id = ? AND return_date IS NULL", (member_id,)
    ).fetchone()[0]


def _open_loan(db, loan_id):
    loan = _by_id(db, "loans", loan_id, "loan_id")
    if loan["return_date"] is not None:
        raise ValueError(f"loan {loan_id} was already returned")
    return loan


def list_branches(db):
    """The library's branches."""
    return _dicts(db, "SELECT * FROM branches ORDER BY id")


def search_catalog(db, title=None, author=None, genre=None):
    """Books matching a title fragment, an author fragment and/or a genre (case-insensitive)."""
    sql = "SELECT * FROM books WHERE 1 = 1"
    args: list[str] = []
    for col, value in (("title", title), ("author", author)):
        if value is not None:
            sql, args = sql + f" AND lower({col}) LIKE ?", [*args, "%" + str(value).lower() + "%"]
    if genre is not None:
        genre = _canon(db, "books", "genre", genre, "genre")
        sql, args = sql + " AND lower(genre) = ?", [*args, str(genre).lower()]
    return _dicts(db, sql + " ORDER BY id", args)


def get_book(db, book_id):
    """One book with every copy: copy_id, branch_id, branch name and status."""
    copies = (
        "SELECT c.id AS copy_id, c.branch_id, b.name AS branch, c.status FROM copies c"
        " JOIN branches b ON b.id = c.branch_id WHERE c.book_id = ? ORDER BY c.id"
    )
    return _by_id_with(db, "books", book_id, "book_id", copies=copies)


def find_member(db, name):
    """A member by full name: card type, loan limit, home branch, fines and active loans."""
    out = _named(db, "members", name, "member")
    out["max_loans"] = LIMITS[out["card_type"]]
    out["active_loans"] = _open_loans(db, out["id"])
    return out


def list_loans(db, member_id):
    """A member's active loans with book, branch, due date and renewals; and today's date."""
    loans = _rows_of(db, _LOANS, "members", member_id, "member_id")
    return {"today": _today(db), "loans": loans}


def checkout_copy(db, member_id, copy_id):
    """Lend an available copy to a member for 21 days; returns the loan."""
    member = _by_id(db, "members", member_id, "member_id")
    copy = _by_id(db, "copies", copy_id, "copy_id")
    if copy["status"] != "available":
        raise ValueError(f"copy {copy_id} is {copy['status']}")
    if member["fines_due"] > 10:
        raise ValueError(f"fines of {member['fines_due']:.2f} block borrowing (limit 10)")
    limit = LIMITS[member["card_type"]]
    if _open_loans(db, member_id) >= limit:
        raise ValueError(f"the {member['card_type']} card allows {limit} loans")
    today = _today_date(db)
    due = (today + datetime.timedelta(days=LOAN_DAYS)).isoformat()
    loan = _insert(
        db,
        "loans",
        copy_id=copy_id,
        member_id=member_id,
        loan_date=today.isoformat(),
        due_date=due,
        return_date=None,
        renewals=0,
        late_fee=0,
    )
    db.execute("UPDATE copies SET status = 'on_loan' WHERE id = ?", (copy_id,))
    return {"loan_id": loan, "copy_id": copy_id, "due_date": due}


def return_loan(db, loan_id):
    """Return a loan; a late return adds 0.25 per day overdue to the member's fines."""
    loan = _open_loan(db, loan_id)
    today = _today_date(db)
    late = max(0, (today - datetime.date.fromisoformat(loan["due_date"])).days)
    fee = round(late * LATE_FEE, 2)
    db.execute(
        "UPDATE loans SET return_date = ?, late_fee = ? WHERE id = ?",
        (today.isoformat(), fee, loan_id),
    )
    db.execute("UPDATE copies SET status = 'available' WHERE id = ?", (loan["copy_id"],))
    db.execute(
        "UPDATE members SET fines_due = ROUND(fines_due + ?, 2) WHERE id = ?",
        (fee, loan["member_id"]),
    )
    return {"loan_id": loan_id, "late_days": late, "late_fee": fee}
