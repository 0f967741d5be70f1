from ..helpers import _malformed, _unexpected_change
from .clock import _t
from .l5_params import BEFORE, NAMES, NAMES2, OLD_ID, OLD_ID2
from .verify_lib import (
    _booked_rows,
    _cancelled_rows,
    _check_meeting,
    _earliest,
    _meetings,
    _person,
    _smallest_room,
)


def _cancelled(db, mid):
    old = db.execute("SELECT * FROM meetings WHERE id = ?", (mid,)).fetchone()
    left = db.execute(
        "SELECT COUNT(*) AS n FROM events WHERE meeting_id = ? AND status = 'active'", (mid,)
    ).fetchone()["n"]
    return old if old["status"] == "cancelled" and not left else None


def _rebooked(state, m, people, d, skip, lo):
    """Why ``m`` is not at the earliest valid slot from ``lo`` in the smallest free room, as
    ``state`` had them (meetings ``skip`` aside); or ``""``."""
    start = _t(m["start"])
    if start < lo or start != _earliest(state, people, d, skip, False, lo):
        return f"{m['title']!r} is not at the earliest valid slot of a later day"
    if not _smallest_room(state, m, len(people), skip, False):
        return f"a smaller free room fits {m['title']!r}"
    return ""


def verify(answer, db, before, changes):
    problem = _malformed(answer, meeting_ids="ints")
    if problem or len(answer["meeting_ids"]) != 2:
        return False, problem or "meeting_ids must hold two ids"
    old, old2 = _cancelled(db, OLD_ID), _cancelled(db, OLD_ID2)
    if old is None or old2 is None:
        return False, "the original meeting and its follow-up must both be cancelled"
    new = {m["id"]: m for m in _meetings(db) if m["id"] not in BEFORE}
    ids = answer["meeting_ids"]
    m, m2 = new.get(ids[0]), new.get(ids[1])
    if m is None or m2 is None or (m["title"], m2["title"]) != (old["title"], old2["title"]):
        return False, "the answer must name the two new meetings, titled as the old ones, in order"
    people, people2 = [_person(db, n) for n in NAMES], [_person(db, n) for n in NAMES2]
    patterns = (
        *_booked_rows(m, people),
        *_booked_rows(m2, people2),
        *_cancelled_rows(before, OLD_ID),
        *_cancelled_rows(before, OLD_ID2),
    )
    problem = _unexpected_change(changes, *patterns)
    if not problem and sorted(new) != sorted(ids):
        problem = "exactly the two new meetings, the ones answered, are expected"
    d, d2 = (_t(x["end"]) - _t(x["start"]) for x in (old, old2))
    problem = problem or _check_meeting(db, m, people, d, False, (m["id"],))
    problem = problem or _check_meeting(db, m2, people2, d2, False, (m2["id"],))
    # the meeting: earliest as the calendars were before the task, both old meetings aside;
    # the follow-up: earliest after the new meeting's day, with the new meeting in place
    lo = (_t(old["start"]) // 1440 + 1) * 1440
    problem = problem or _rebooked(before, m, people, d, (OLD_ID, OLD_ID2), lo)
    lo2 = (_t(m["start"]) // 1440 + 1) * 1440
    problem = problem or _rebooked(db, m2, people2, d2, (m2["id"],), lo2)
    return (False, problem) if problem else (True, "meeting and follow-up rescheduled")
