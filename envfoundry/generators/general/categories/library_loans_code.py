"""Generated-code templates of the library_loans category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, STR, tool

SCHEMA_SQL = """
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE branches (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT NOT NULL);
CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE, author TEXT NOT NULL,
  genre TEXT NOT NULL, year INTEGER NOT NULL, isbn TEXT NOT NULL);
CREATE TABLE copies (id INTEGER PRIMARY KEY, book_id INTEGER NOT NULL REFERENCES books(id),
  branch_id INTEGER NOT NULL REFERENCES branches(id), status TEXT NOT NULL);
CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, card_type TEXT NOT NULL,
  home_branch_id INTEGER NOT NULL REFERENCES branches(id), fines_due REAL NOT NULL);
CREATE TABLE loans (id INTEGER PRIMARY KEY, copy_id INTEGER NOT NULL REFERENCES copies(id),
  member_id INTEGER NOT NULL REFERENCES members(id), loan_date TEXT NOT NULL,
  due_date TEXT NOT NULL, return_date TEXT, renewals INTEGER NOT NULL, late_fee REAL NOT NULL);
CREATE TABLE holds (id INTEGER PRIMARY KEY, book_id INTEGER NOT NULL REFERENCES books(id),
  member_id INTEGER NOT NULL REFERENCES members(id), placed_date TEXT NOT NULL,
  status TEXT NOT NULL);
"""

TOOLS_V1 = '''
"""Public library tools: catalog, copies per branch, members, loans (21 days, 0.25 per day
late). Card limits: standard 5 loans, premium 10, child 3; fines over 10 block checkouts."""

import datetime

LOAN_DAYS = 21
LATE_FEE = 0.25
LIMITS = {"standard": 5, "premium": 10, "child": 3}


def _int(value, what):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be an integer")
    return value


def _get(db, table, key, what):
    row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (_int(key, what),)).fetchone()
    if row is None:
        raise ValueError(f"no {what[:-3]} with id {key}")
    return row


def _today(db):
    return datetime.date.fromisoformat(
        db.execute("SELECT value FROM settings WHERE key = 'today'").fetchone()[0])


def _active(db, member_id):
    return db.execute("SELECT COUNT(*) FROM loans WHERE member_id = ? AND return_date IS NULL",
                      (member_id,)).fetchone()[0]


def list_branches(db):
    """The library's branches."""
    return [dict(r) for r in db.execute("SELECT * FROM branches ORDER BY id")]


def search_catalog(db, title=None, author=None, genre=None):
    """Books matching a title fragment, an author fragment and/or a genre (case-insensitive)."""
    sql, args = "SELECT * FROM books WHERE 1 = 1", []
    for col, value in (("title", title), ("author", author)):
        if value is not None:
            sql, args = sql + f" AND lower({col}) LIKE ?", args + ["%" + str(value).lower() + "%"]
    if genre is not None:
        sql, args = sql + " AND lower(genre) = ?", args + [str(genre).lower()]
    return [dict(r) for r in db.execute(sql + " ORDER BY id", args)]


def get_book(db, book_id):
    """One book with every copy: copy_id, branch_id, branch name and status."""
    book = dict(_get(db, "books", book_id, "book_id"))
    book["copies"] = [dict(r) for r in db.execute(
        "SELECT c.id AS copy_id, c.branch_id, b.name AS branch, c.status FROM copies c"
        " JOIN branches b ON b.id = c.branch_id WHERE c.book_id = ? ORDER BY c.id", (book_id,))]
    return book


def find_member(db, name):
    """A member by full name: card type, loan limit, home branch, fines and active loans."""
    row = db.execute("SELECT * FROM members WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no member named {name!r}")
    out = dict(row)
    out["max_loans"] = LIMITS[out["card_type"]]
    out["active_loans"] = _active(db, out["id"])
    return out


def list_loans(db, member_id):
    """A member's active loans with book, branch, due date and renewals; and today's date."""
    _get(db, "members", member_id, "member_id")
    rows = db.execute(
        "SELECT l.id AS loan_id, l.copy_id, c.book_id, k.title, c.branch_id, l.loan_date,"
        " l.due_date, l.renewals FROM loans l JOIN copies c ON c.id = l.copy_id"
        " JOIN books k ON k.id = c.book_id WHERE l.member_id = ? AND l.return_date IS NULL"
        " ORDER BY l.id", (member_id,))
    return {"today": _today(db).isoformat(), "loans": [dict(r) for r in rows]}


def checkout_copy(db, member_id, copy_id):
    """Lend an available copy to a member for 21 days; returns the loan."""
    member = _get(db, "members", member_id, "member_id")
    copy = _get(db, "copies", copy_id, "copy_id")
    if copy["status"] != "available":
        raise ValueError(f"copy {copy_id} is {copy['status']}")
    if member["fines_due"] > 10:
        raise ValueError(f"fines of {member['fines_due']:.2f} block borrowing (limit 10)")
    if _active(db, member_id) >= LIMITS[member["card_type"]]:
        raise ValueError(f"the {member['card_type']} card allows {LIMITS[member['card_type']]} loans")
    today = _today(db)
    due = (today + datetime.timedelta(days=LOAN_DAYS)).isoformat()
    cur = db.execute("INSERT INTO loans (copy_id, member_id, loan_date, due_date, return_date,"
                     " renewals, late_fee) VALUES (?, ?, ?, ?, NULL, 0, 0)",
                     (copy_id, member_id, today.isoformat(), due))
    db.execute("UPDATE copies SET status = 'on_loan' WHERE id = ?", (copy_id,))
    return {"loan_id": cur.lastrowid, "copy_id": copy_id, "due_date": due}


def return_loan(db, loan_id):
    """Return a loan; a late return adds 0.25 per day overdue to the member's fines."""
    loan = _get(db, "loans", loan_id, "loan_id")
    if loan["return_date"] is not None:
        raise ValueError(f"loan {loan_id} was already returned")
    today = _today(db)
    late = max(0, (today - datetime.date.fromisoformat(loan["due_date"])).days)
    fee = round(late * LATE_FEE, 2)
    db.execute("UPDATE loans SET return_date = ?, late_fee = ? WHERE id = ?",
               (today.isoformat(), fee, loan_id))
    db.execute("UPDATE copies SET status = 'available' WHERE id = ?", (loan["copy_id"],))
    db.execute("UPDATE members SET fines_due = ROUND(fines_due + ?, 2) WHERE id = ?",
               (fee, loan["member_id"]))
    return {"loan_id": loan_id, "late_days": late, "late_fee": fee}
'''

TOOLS_V2_EXTRA = '''
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
'''

TOOLS_V1_SPECS = (
    tool("list_branches", "List the library's branches."),
    tool(
        "search_catalog",
        "Search books by title fragment, author fragment and/or genre; all filters optional.",
        {"title": STR, "author": STR, "genre": STR},
    ),
    tool(
        "get_book",
        "One book with all its copies and their branch and status.",
        {"book_id": INT},
        ["book_id"],
    ),
    tool(
        "find_member",
        "A member by full name: card_type, max_loans, home_branch_id, fines_due, active_loans.",
        {"name": STR},
        ["name"],
    ),
    tool(
        "list_loans", "A member's active loans and today's date.", {"member_id": INT}, ["member_id"]
    ),
    tool(
        "checkout_copy",
        "Lend an available copy to a member (due in 21 days).",
        {"member_id": INT, "copy_id": INT},
        ["member_id", "copy_id"],
        mutates=True,
    ),
    tool(
        "return_loan",
        "Return a loan; late days cost 0.25 each, added to the member's fines.",
        {"loan_id": INT},
        ["loan_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "renew_loan",
        "Renew an active, not overdue loan by 14 days (refused if another member holds the "
        "book or after two renewals).",
        {"loan_id": INT},
        ["loan_id"],
        mutates=True,
    ),
)

L1_SOLVE = """
def solve(tools):
    books = [b for b in tools.search_catalog(author={{AUTHOR}}) if b["author"] == {{AUTHOR}}]
    latest = max(books, key=lambda b: b["year"])
    copies = tools.get_book(book_id=latest["id"])["copies"]
    return {"branch_ids": sorted({c["branch_id"] for c in copies if c["status"] == "available"})}
"""
L1_PERTURBED = L1_SOLVE.replace(' if c["status"] == "available"', "")
L1_VERIFY = """
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
"""

V_LOANS = """
import datetime

MAX_LOAN = {{MAX_LOAN}}
TODAY = {{TODAY}}


def _member(db, name):
    return db.execute("SELECT * FROM members WHERE name = ?", (name,)).fetchone()


def _new_loans(db, mid):
    return db.execute("SELECT l.*, c.book_id, c.branch_id, c.status AS cstatus FROM loans l"
                      " JOIN copies c ON c.id = l.copy_id WHERE l.member_id = ? AND l.id > ?"
                      " ORDER BY l.id", (mid, MAX_LOAN)).fetchall()


def _returned(db, mid):
    return sorted(r[0] for r in db.execute(
        "SELECT id FROM loans WHERE member_id = ? AND id <= ? AND return_date IS NOT NULL"
        " AND return_date = ?", (mid, MAX_LOAN, TODAY)))


def _loan_ok(loan):
    due = (datetime.date.fromisoformat(TODAY) + datetime.timedelta(days=21)).isoformat()
    return (loan["return_date"] is None and loan["due_date"] == due and loan["loan_date"] == TODAY
            and loan["cstatus"] == "on_loan")


def _fees_ok(db, mid, ids, fines0):
    fee = 0.0
    for lid in ids:
        row = db.execute("SELECT * FROM loans WHERE id = ?", (lid,)).fetchone()
        days = (datetime.date.fromisoformat(TODAY) - datetime.date.fromisoformat(row["due_date"])).days
        if abs(row["late_fee"] - max(0, days) * 0.25) > 1e-6:
            return False
        fee += row["late_fee"]
    fines = db.execute("SELECT fines_due FROM members WHERE id = ?", (mid,)).fetchone()[0]
    copies_back = all(db.execute("SELECT c.status FROM loans l JOIN copies c ON c.id = l.copy_id"
                                 " WHERE l.id = ?", (lid,)).fetchone()[0] == "available" for lid in ids)
    return copies_back and abs(fines - (fines0 + fee)) < 1e-6
"""

L2_SOLVE = """
def solve(tools):
    m = tools.find_member(name={{NAME}})
    book = next(b for b in tools.search_catalog(title={{TITLE}}) if b["title"] == {{TITLE}})
    free = [c for c in tools.get_book(book_id=book["id"])["copies"] if c["status"] == "available"]
    home = [c for c in free if c["branch_id"] == m["home_branch_id"]]
    pick = (home or free)[0]
    return {"loan_id": tools.checkout_copy(member_id=m["id"], copy_id=pick["copy_id"])["loan_id"]}
"""
L2_PERTURBED = L2_SOLVE.replace("pick = (home or free)[0]", "pick = free[0]")
L2_VERIFY = (
    V_LOANS
    + """

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
"""
)

L3_SOLVE = """
def solve(tools):
    m = tools.find_member(name={{NAME}})
    listing = tools.list_loans(member_id=m["id"])
    returned = []
    for loan in listing["loans"]:
        if loan["due_date"] < listing["today"]:
            tools.return_loan(loan_id=loan["loan_id"])
            returned.append(loan["loan_id"])
    book = next(b for b in tools.search_catalog(title={{TITLE}}) if b["title"] == {{TITLE}})
    copy = next(c for c in tools.get_book(book_id=book["id"])["copies"]
                if c["status"] == "available" and c["branch_id"] == m["home_branch_id"])
    loan = tools.checkout_copy(member_id=m["id"], copy_id=copy["copy_id"])
    return {"returned_loan_ids": returned, "new_loan_id": loan["loan_id"]}
"""
# returns every loan, not only the overdue ones
L3_PERTURBED = L3_SOLVE.replace(
    '        if loan["due_date"] < listing["today"]:\n', "        if True:\n"
)
L3_VERIFY = (
    V_LOANS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("returned_loan_ids")) \\
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
"""
)

L4_SOLVE = """
import datetime


def solve(tools):
    m = tools.find_member(name={{NAME}})
    listing = tools.list_loans(member_id=m["id"])
    soon = (datetime.date.fromisoformat(listing["today"]) + datetime.timedelta(days=3)).isoformat()
    returned = []
    for loan in listing["loans"]:
        if {{RETURN_FIRST}} and loan["due_date"] <= soon:
            tools.return_loan(loan_id=loan["loan_id"])
            returned.append(loan["loan_id"])
    slots = m["max_loans"] - (len(listing["loans"]) - len(returned))
    new = []
    for title in {{TITLES}}:
        if len(new) >= slots:
            break
        book = next(b for b in tools.search_catalog(title=title) if b["title"] == title)
        free = [c for c in tools.get_book(book_id=book["id"])["copies"] if c["status"] == "available"]
        if not free:
            continue
        home = [c for c in free if c["branch_id"] == m["home_branch_id"]]
        loan = tools.checkout_copy(member_id=m["id"], copy_id=(home or free)[0]["copy_id"])
        new.append(loan["loan_id"])
    return {"returned_loan_ids": returned, "new_loan_ids": new}
"""
L4_PERTURBED = L4_SOLVE.replace("if {{RETURN_FIRST}} and", "if False and")
L4_VERIFY = (
    V_LOANS
    + """
AVAIL = {{TITLES_AVAIL}}
HOME = {{HOME}}


def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("returned_loan_ids")) \\
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
"""
)

L5_SOLVE = """
import datetime


def solve(tools):
    m = tools.find_member(name={{NAME}})
    listing = tools.list_loans(member_id=m["id"])
    soon = (datetime.date.fromisoformat(listing["today"]) + datetime.timedelta(days=5)).isoformat()
    renewed, returned = [], []
    for loan in listing["loans"]:
        if loan["due_date"] > soon:
            continue
        try:
            tools.renew_loan(loan_id=loan["loan_id"])
            renewed.append(loan["loan_id"])
        except Exception:
            tools.return_loan(loan_id=loan["loan_id"])
            returned.append(loan["loan_id"])
    return {"renewed_loan_ids": renewed, "returned_loan_ids": returned}
"""
L5_PERTURBED = """
import datetime


def solve(tools):
    # returns every loan due soon instead of renewing what can be renewed
    m = tools.find_member(name={{NAME}})
    listing = tools.list_loans(member_id=m["id"])
    soon = (datetime.date.fromisoformat(listing["today"]) + datetime.timedelta(days=5)).isoformat()
    returned = []
    for loan in listing["loans"]:
        if loan["due_date"] <= soon:
            tools.return_loan(loan_id=loan["loan_id"])
            returned.append(loan["loan_id"])
    return {"renewed_loan_ids": [], "returned_loan_ids": returned}
"""
L5_VERIFY = (
    V_LOANS
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("renewed_loan_ids")) \\
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
"""
)
