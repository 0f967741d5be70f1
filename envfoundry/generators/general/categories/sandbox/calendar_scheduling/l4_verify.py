from ..helpers import _the_rows
from .clock import _t
from .l4_params import BEFORE, DURATION1, DURATION2, NAMES1, NAMES2, TITLE1, TITLE2
from .verify_lib import _check_meeting, _earliest, _meetings, _person


def _slot_problem(db, m1, m2):
    p1 = [_person(db, n) for n in NAMES1]
    if _t(m1["start"]) != _earliest(db, p1, DURATION1, (m1["id"],), False, lunch=True):
        return "the first meeting is not at its earliest valid slot"
    lo = (_t(m1["start"]) // 1440 + 1) * 1440
    p2 = [_person(db, n) for n in NAMES2]
    start = _t(m2["start"])
    if start < lo or start != _earliest(db, p2, DURATION2, (m2["id"],), False, lo, lunch=True):
        return "the follow-up is not at its earliest valid slot on a later day"
    return ""


def verify(answer, db):
    new = [m for m in _meetings(db) if m["id"] not in BEFORE]
    if _the_rows(new, answer, "meeting_ids", 2) is None:
        return False, "exactly the two answered meetings must be new"
    by_title = {m["title"]: m for m in new}
    if sorted(by_title) != sorted([TITLE1, TITLE2]):
        return False, "the meetings must carry the requested titles"
    m1, m2 = by_title[TITLE1], by_title[TITLE2]
    # each meeting is judged against everything else in the calendar, the other one included
    for m, names, d in ((m1, NAMES1, DURATION1), (m2, NAMES2, DURATION2)):
        people = [_person(db, n) for n in names]
        problem = _check_meeting(db, m, people, d, False, (m["id"],), True)
        if problem:
            return False, f"{m['title']}: {problem}"
    problem = _slot_problem(db, m1, m2)
    return (False, problem) if problem else (True, "meeting and follow-up booked")
