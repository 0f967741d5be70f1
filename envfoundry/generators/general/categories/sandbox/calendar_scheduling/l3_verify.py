from .clock import _t
from .l3_params import BEFORE, DURATION, NAMES, TITLE
from .verify_lib import _check_meeting, _earliest, _one_new, _person


def verify(answer, db):
    m = _one_new(db, answer, BEFORE, TITLE)
    if m is None:
        return False, "exactly one new meeting, the one answered and titled as asked, is expected"
    people = [_person(db, n) for n in NAMES]
    problem = _check_meeting(db, m, people, DURATION, True, (m["id"],))
    if problem:
        return False, problem
    if _t(m["start"]) != _earliest(db, people, DURATION, (m["id"],), True):
        return False, "an earlier slot with a free video room existed"
    return True, "meeting booked at the earliest valid slot"
