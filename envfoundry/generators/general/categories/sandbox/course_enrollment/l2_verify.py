from ..helpers import _malformed, _unexpected_change
from .clash import _clash
from .l2_params import DEPT, NAME
from .verify_lib import _active, _course, _prereqs_ok, _student


def _may_add(db, st, current, c):
    return (
        c["dept"] == DEPT
        and c["enrolled"] < c["capacity"]
        and _prereqs_ok(db, st["id"], c["code"])
        and c["code"] not in [x["code"] for x in current]
        and not any(_clash(c, x) for x in current)
    )


def verify(answer, db, before, changes):
    # a question: nothing may change, and the courses are judged as they were
    problem = _unexpected_change(changes) or _malformed(answer, course="str")
    if problem:
        return False, problem
    st = _student(before, NAME)
    current = _active(before, st["id"])
    c = _course(before, answer["course"])
    if c is None or not _may_add(before, st, current, c):
        return False, "the course is not an open, eligible, clash-free course of the department"
    rows = before.execute("SELECT * FROM courses")
    best = max(x["credits"] for x in rows if _may_add(before, st, current, x))
    if c["credits"] < best:
        return False, "a fitting course with more credits exists"
    return True, "fitting course with the most credits"
