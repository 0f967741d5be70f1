from ..helpers import _listed
from .clash import _clash
from .l5_params import BEST, DEPTS, NAME, REQUIRED
from .verify_lib import _active, _check_schedule, _course, _own_changes, _student


def _swapped(before, db, st):
    """Why the final term is not: the required course in, exactly the current courses that
    clash with it out, the others kept, and one extra course of DEPTS with the most credits
    that could be added; or ``""``."""
    old = _active(before, st["id"])
    req = _course(before, REQUIRED)
    drop = {c["code"] for c in old if _clash(c, req)}
    keep = [c for c in old if c["code"] not in drop]
    now = {c["code"] for c in _active(db, st["id"])}
    if REQUIRED not in now:
        return "the required course is not enrolled"
    if drop & now:
        return "the courses that clash with the required course must be dropped"
    if any(c["code"] not in now for c in keep):
        return "courses that do not clash must be kept"
    extra = [_course(db, c) for c in now - {c["code"] for c in keep} - {REQUIRED}]
    if len(extra) != 1 or extra[0]["dept"] not in DEPTS:
        return "exactly one extra course from the listed departments is required"
    if extra[0]["credits"] != BEST:
        return "a course with more credits could be added"
    return ""


def verify(answer, db, before, changes):
    st = _student(before, NAME)
    courses = _active(db, st["id"])
    problem = _listed(answer, courses=sorted(c["code"] for c in courses))
    problem = problem or _own_changes(before, db, changes, st["id"], drops=True)
    problem = problem or _swapped(before, db, st)
    total = sum(c["credits"] for c in courses)
    problem = problem or _check_schedule(db, st, courses)
    return (False, problem) if problem else (True, f"schedule swapped, {total} credits")
