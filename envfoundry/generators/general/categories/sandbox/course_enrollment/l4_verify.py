from .l4_params import DEPTS, HI, LO, NAME
from .verify_lib import _added, _check_schedule


def verify(answer, db, before, changes):
    found, problem = _added(before, db, changes, NAME, answer, DEPTS)
    if found is None:
        return False, problem
    st, courses = found
    total = sum(c["credits"] for c in courses)
    if not LO <= total <= HI:
        return False, f"total credits {total} are outside the requested window"
    problem = _check_schedule(db, st, courses)
    return (False, problem) if problem else (True, f"valid schedule with {total} credits")
