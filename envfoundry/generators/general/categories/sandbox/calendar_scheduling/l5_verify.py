from ..helpers import _unexpected_change
from .clock import _t
from .l5_params import BEFORE, NAMES, OLD_ID
from .verify_lib import (
    _answered,
    _booked_rows,
    _cancelled_rows,
    _check_meeting,
    _earliest,
    _one_new,
    _person,
    _smallest_room,
)


def verify(answer, db, before, changes):
    old = db.execute("SELECT * FROM meetings WHERE id = ?", (OLD_ID,)).fetchone()
    left = db.execute(
        "SELECT COUNT(*) AS n FROM events WHERE meeting_id = ? AND status = 'active'", (OLD_ID,)
    ).fetchone()["n"]
    if old["status"] != "cancelled" or left:
        return False, "the original meeting must be cancelled"
    m = _answered(db, answer, BEFORE, old["title"])
    if m is None:
        return False, "the answer must name the new meeting, titled as the old one"
    people = [_person(db, n) for n in NAMES]
    patterns = (*_booked_rows(m, people), *_cancelled_rows(before, OLD_ID))
    problem = _unexpected_change(changes, *patterns)
    if problem:
        return False, problem
    if _one_new(db, answer, BEFORE, old["title"]) is None:
        return False, "exactly one new meeting with the same title, the one answered, is expected"
    d = _t(old["end"]) - _t(old["start"])
    problem = _check_meeting(db, m, people, d, False, (m["id"],))
    if problem:
        return False, problem
    # the earliest slot as the calendars were before the task, the old meeting left aside
    lo = (_t(old["start"]) // 1440 + 1) * 1440
    start = _t(m["start"])
    if start < lo or start != _earliest(before, people, d, (OLD_ID,), False, lo):
        return False, "not the earliest valid slot after the original day"
    if not _smallest_room(before, m, len(people), (OLD_ID,), False):
        return False, "a smaller free room fits the meeting"
    return True, "meeting rescheduled"
