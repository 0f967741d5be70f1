
def solve(tools):
    m = tools.find_member(name={{NAME}})
    book = next(b for b in tools.search_catalog(title={{TITLE}}) if b["title"] == {{TITLE}})
    free = [c for c in tools.get_book(book_id=book["id"])["copies"] if c["status"] == "available"]
    home = [c for c in free if c["branch_id"] == m["home_branch_id"]]
    pick = (home or free)[0]
    return {"loan_id": tools.checkout_copy(member_id=m["id"], copy_id=pick["copy_id"])["loan_id"]}
