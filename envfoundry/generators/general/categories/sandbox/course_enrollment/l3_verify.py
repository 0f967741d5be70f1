from .l3_params import DEPTS, NAME
from .verify_lib import _added, _check_schedule


def verify(answer, db, before, changes):
    found, problem = _added(before, db, changes, NAME, answer, DEPTS)
    if found is None:
        return False, problem
    st, courses = found
    problem = _check_schedule(db, st, courses)
    return (False, problem) if problem else (True, "valid two-course enrolment")
