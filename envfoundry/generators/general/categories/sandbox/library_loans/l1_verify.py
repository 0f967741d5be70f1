from ..helpers import _exact
from .l1_params import AUTHOR


def _branches(db):
    book = db.execute(
        "SELECT id FROM books WHERE author = ? ORDER BY year DESC LIMIT 1", (AUTHOR,)
    ).fetchone()[0]
    rows = db.execute(
        "SELECT branch_id FROM copies WHERE book_id = ? AND status = 'available'", (book,)
    )
    return sorted({r[0] for r in rows})


def verify(answer, db):
    return _exact(answer, "branch_ids", _branches(db), "exact branches", "ints")
