
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
