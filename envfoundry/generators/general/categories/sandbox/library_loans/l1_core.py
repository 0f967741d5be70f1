from .l1_params import AUTHOR


def _branches(tools, available_only):
    books = [b for b in tools.search_catalog(author=AUTHOR) if b["author"] == AUTHOR]
    latest = max(books, key=lambda b: b["year"])
    copies = tools.get_book(book_id=latest["id"])["copies"]
    ok = {c["branch_id"] for c in copies if c["status"] == "available" or not available_only}
    return {"branch_ids": sorted(ok)}
