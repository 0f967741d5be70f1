from ..helpers import _malformed
from .clash import _clash
from .l2_params import DEPT, NAME
from .verify_lib import _active, _course, _prereqs_ok, _student


def _fits(db, st, current, c):
    return (
        c["dept"] == DEPT
        and c["enrolled"] < c["capacity"]
        and _prereqs_ok(db, st["id"], c["code"])
        and c["code"] not in [x["code"] for x in current]
        and not any(_clash(c, x) for x in current)
    )


def verify(answer, db):
    problem = _malformed(answer, course="str")
    if problem:
        return False, problem
    st = _student(db, NAME)
    current = _active(db, st["id"])
    c = _course(db, answer["course"])
    if c is None or not _fits(db, st, current, c):
        return False, "the course is not an open, eligible, clash-free course of the department"
    rows = db.execute("SELECT * FROM courses")
    best = max(x["credits"] for x in rows if _fits(db, st, current, x))
    if c["credits"] < best:
        return False, f"a fitting course with {best} credits exists"
    return True, "fitting course with the most credits"
