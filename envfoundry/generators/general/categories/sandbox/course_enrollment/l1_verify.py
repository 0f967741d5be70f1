from ..helpers import _listed, _unexpected_change
from .l1_params import DEPT, NAME
from .verify_lib import _active, _prereqs_ok, _student


def _open_courses(db):
    st = _student(db, NAME)
    active = {c["code"] for c in _active(db, st["id"])}
    rows = db.execute("SELECT * FROM courses WHERE dept = ?", (DEPT,))
    return sorted(
        c["code"]
        for c in rows
        if c["enrolled"] < c["capacity"]
        and c["code"] not in active
        and _prereqs_ok(db, st["id"], c["code"])
    )


def verify(answer, db, before, changes):
    # a question: nothing may change; the list is a set (any order, no repeats)
    problem = _unexpected_change(changes) or _listed(answer, courses=_open_courses(before))
    return (False, problem) if problem else (True, "exact set of open, eligible courses")
