from ..helpers import _ids, _unexpected_change
from .clock import _t
from .l4_params import BEFORE, DURATION1, DURATION2, NAMES1, NAMES2, TITLE1, TITLE2
from .verify_lib import _booked_rows, _check_meeting, _earliest, _meetings, _person, _smallest_room


def _slot_problem(db, before, m1, m2):
    # the first meeting: earliest as the calendars were before the task; the follow-up:
    # earliest on a later day, with the first meeting in the calendars
    p1 = [_person(db, n) for n in NAMES1]
    if _t(m1["start"]) != _earliest(before, p1, DURATION1, (), False, lunch=True):
        return "the first meeting is not at its earliest valid slot"
    if not _smallest_room(before, m1, len(p1), (), False):
        return "a smaller free room fits the first meeting"
    lo = (_t(m1["start"]) // 1440 + 1) * 1440
    p2 = [_person(db, n) for n in NAMES2]
    start = _t(m2["start"])
    if start < lo or start != _earliest(db, p2, DURATION2, (m2["id"],), False, lo, lunch=True):
        return "the follow-up is not at its earliest valid slot on a later day"
    if not _smallest_room(db, m2, len(p2), (m2["id"],), False):
        return "a smaller free room fits the follow-up"
    return ""


def verify(answer, db, before, changes):
    new = {m["id"]: m for m in _meetings(db) if m["id"] not in BEFORE}
    ids = _ids(answer, "meeting_ids", 2)
    if ids is None or not all(i in new for i in ids) or ids[0] == ids[1]:
        return False, "meeting_ids must name two new meetings"
    m1, m2 = new[ids[0]], new[ids[1]]  # in this order: the first meeting, then the follow-up
    if (m1["title"], m2["title"]) != (TITLE1, TITLE2):
        return False, "meeting_ids must list the first meeting, then the follow-up"
    booked = []
    for m, names in ((m1, NAMES1), (m2, NAMES2)):
        booked += _booked_rows(m, [_person(db, n) for n in names])
    problem = _unexpected_change(changes, *booked)
    if problem:
        return False, problem
    if len(new) != 2:
        return False, "exactly the two answered meetings must be new"
    # each meeting is judged against everything else in the calendar, the other one included
    for m, names, d in ((m1, NAMES1, DURATION1), (m2, NAMES2, DURATION2)):
        people = [_person(db, n) for n in names]
        problem = _check_meeting(db, m, people, d, False, (m["id"],), True)
        if problem:
            return False, f"{m['title']}: {problem}"
    problem = _slot_problem(db, before, m1, m2)
    return (False, problem) if problem else (True, "meeting and follow-up booked")
