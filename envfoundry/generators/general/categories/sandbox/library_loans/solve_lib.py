"""Solution helpers: books by exact title, loans due soon, borrowing."""

import datetime


def _book(tools, title):
    return next(b for b in tools.search_catalog(title=title) if b["title"] == title)


def _free_copies(tools, book_id):
    return [c for c in tools.get_book(book_id=book_id)["copies"] if c["status"] == "available"]


def _due_by(listing, days):
    """The date ``days`` after the listing's today (ISO), to compare due dates with."""
    today = datetime.date.fromisoformat(listing["today"])
    return (today + datetime.timedelta(days=days)).isoformat()


def _return(tools, loans):
    for loan in loans:
        tools.return_loan(loan_id=loan["loan_id"])
    return [loan["loan_id"] for loan in loans]


def _borrow(tools, member, copy):
    return tools.checkout_copy(member_id=member["id"], copy_id=copy["copy_id"])["loan_id"]


def _pick(member, free, prefer_home=True):
    """The first free copy at the member's home branch when preferred and there is one;
    else the first free copy elsewhere (a careless borrower's pick) when there is one."""
    home = [c for c in free if c["branch_id"] == member["home_branch_id"]]
    away = [c for c in free if c["branch_id"] != member["home_branch_id"]]
    return ((home if prefer_home else away) or free)[0]
