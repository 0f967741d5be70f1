from ..helpers import _unexpected_change
from .clock import _t
from .l3_params import BEFORE, DURATION, NAMES, TITLE
from .verify_lib import (
    _answered,
    _booked_rows,
    _check_meeting,
    _earliest,
    _one_new,
    _person,
    _smallest_room,
)


def verify(answer, db, before, changes):
    m = _answered(db, answer, BEFORE, TITLE)
    if m is None:
        return False, "the answer must name the new meeting, titled as asked"
    people = [_person(db, n) for n in NAMES]
    problem = _unexpected_change(changes, *_booked_rows(m, people))
    if problem:
        return False, problem
    if _one_new(db, answer, BEFORE, TITLE) is None:
        return False, "exactly one new meeting, the one answered and titled as asked, is expected"
    problem = _check_meeting(db, m, people, DURATION, True, (m["id"],))
    if problem:
        return False, problem
    # the earliest slot as the calendars and rooms were before the task
    if _t(m["start"]) != _earliest(before, people, DURATION, (), True):
        return False, "an earlier slot with a free video room existed"
    if not _smallest_room(before, m, len(people), (), True):
        return False, "a smaller free room with video fits the meeting"
    return True, "meeting booked at the earliest valid slot"
