
def solve(tools):
    books = [b for b in tools.search_catalog(author={{AUTHOR}}) if b["author"] == {{AUTHOR}}]
    latest = max(books, key=lambda b: b["year"])
    copies = tools.get_book(book_id=latest["id"])["copies"]
    return {"branch_ids": sorted({c["branch_id"] for c in copies})}
