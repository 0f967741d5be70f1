from ..helpers import _listed
from .l5_params import DROP, KEEP, MIN_CREDITS, NAME, REQUIRED, REQUIRED_ENROLLED
from .verify_lib import _active, _check_schedule, _course, _student


def _swapped(db, codes):
    """Why the required course is not in and the clashing ones out, or ""."""
    req = _course(db, REQUIRED)
    if req["code"] not in codes or req["enrolled"] != REQUIRED_ENROLLED + 1:
        return "the required course is not enrolled"
    for code, before in DROP.items():
        if code in codes or _course(db, code)["enrolled"] != before - 1:
            return f"{code} clashes with the required course and must be dropped"
    if any(c not in codes for c in KEEP):
        return "courses that do not clash must be kept"
    return ""


def _extra(st, courses, total):
    """Why the term's extra course is missing or not needed, or ""."""
    extra = [c for c in courses if c["code"] not in KEEP and c["code"] != REQUIRED]
    base = total - sum(c["credits"] for c in extra)
    if base >= MIN_CREDITS and extra:
        return "no extra course was needed"
    if base < MIN_CREDITS and (len(extra) != 1 or extra[0]["dept"] != st["program"]):
        return "exactly one extra course from the student's program is required"
    return ""


def verify(answer, db):
    st = _student(db, NAME)
    courses = _active(db, st["id"])
    codes = sorted(c["code"] for c in courses)
    problem = _listed(answer, courses=codes)
    if problem:
        return False, problem
    total = sum(c["credits"] for c in courses)
    problem = _swapped(db, codes)
    if not problem and total < MIN_CREDITS:
        problem = f"total credits {total} are below the minimum"
    problem = problem or _extra(st, courses, total) or _check_schedule(db, st, courses)
    return (False, problem) if problem else (True, f"schedule swapped, {total} credits")
