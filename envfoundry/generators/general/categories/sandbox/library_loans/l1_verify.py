from ..helpers import _listed, _unexpected_change
from .l1_params import AUTHOR


def _branches(db):
    book = db.execute(
        "SELECT id FROM books WHERE author = ? ORDER BY year DESC LIMIT 1", (AUTHOR,)
    ).fetchone()[0]
    rows = db.execute(
        "SELECT branch_id FROM copies WHERE book_id = ? AND status = 'available'", (book,)
    )
    return sorted({r[0] for r in rows})


def verify(answer, db, before, changes):
    # a question: nothing may change; the branches are a set (any order, no repeats)
    problem = _unexpected_change(changes) or _listed(answer, branch_ids=_branches(before))
    return (False, problem) if problem else (True, "exact branches")
