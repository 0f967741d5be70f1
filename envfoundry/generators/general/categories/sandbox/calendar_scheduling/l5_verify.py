from .clock import _t
from .l5_params import BEFORE, NAMES, OLD_ID
from .verify_lib import _check_meeting, _earliest, _one_new, _person


def verify(answer, db):
    old = db.execute("SELECT * FROM meetings WHERE id = ?", (OLD_ID,)).fetchone()
    left = db.execute(
        "SELECT COUNT(*) AS n FROM events WHERE meeting_id = ? AND status = 'active'", (OLD_ID,)
    ).fetchone()["n"]
    if old["status"] != "cancelled" or left:
        return False, "the original meeting must be cancelled"
    m = _one_new(db, answer, BEFORE, old["title"])
    if m is None:
        return False, "exactly one new meeting with the same title, the one answered, is expected"
    people = [_person(db, n) for n in NAMES]
    d = _t(old["end"]) - _t(old["start"])
    problem = _check_meeting(db, m, people, d, False, (m["id"],))
    if problem:
        return False, problem
    lo = (_t(old["start"]) // 1440 + 1) * 1440
    start = _t(m["start"])
    if start < lo or start != _earliest(db, people, d, (m["id"],), False, lo):
        return False, "not the earliest valid slot after the original day"
    return True, "meeting rescheduled"
