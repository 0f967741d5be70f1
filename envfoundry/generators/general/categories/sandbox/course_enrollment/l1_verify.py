from ..helpers import _exact
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


def verify(answer, db):
    return _exact(answer, "courses", _open_courses(db), "exact list of open, eligible courses")
