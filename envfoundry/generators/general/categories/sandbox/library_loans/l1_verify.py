from ..helpers import _malformed
from .l1_params import AUTHOR


def verify(answer, db):
    if _malformed(answer, branch_ids="ints"):
        return False, "answer must be an object with a list of integer 'branch_ids'"
    book = db.execute(
        "SELECT id FROM books WHERE author = ? ORDER BY year DESC LIMIT 1", (AUTHOR,)
    ).fetchone()[0]
    rows = db.execute(
        "SELECT branch_id FROM copies WHERE book_id = ? AND status = 'available'", (book,)
    )
    want = sorted({r[0] for r in rows})
    if answer["branch_ids"] != want:
        return False, f"expected the ascending branch ids {want}"
    return True, "exact branches"
