
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
