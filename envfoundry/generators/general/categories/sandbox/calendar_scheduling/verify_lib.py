"""Verifier helpers: calendars and rooms from the database, the earliest valid slot (judged
on the state before the task), and the rows that booking or cancelling a meeting writes."""

from ..helpers import _is_int, _the_one
from .clock import _in_hours, _overlaps, _t


def _person(db, name):
    return db.execute("SELECT * FROM people WHERE name = ?", (name,)).fetchone()


def _unless(rows, skip):
    """Intervals of rows that do not belong to a meeting in ``skip``."""
    return [
        (_t(r["start"]), _t(r["end"]))
        for r in rows
        if r["meeting_id"] is None or r["meeting_id"] not in skip
    ]


def _busy(db, pid, skip=()):
    sql = "SELECT * FROM events WHERE person_id = ? AND status = 'active'"
    return _unless(db.execute(sql, (pid,)), skip)


def _room_busy(db, rid, skip=()):
    sql = "SELECT * FROM room_bookings WHERE room_id = ? AND status = 'active'"
    return _unless(db.execute(sql, (rid,)), skip)


def _meetings(db):
    return db.execute("SELECT * FROM meetings WHERE status = 'active' ORDER BY id").fetchall()


def _attendees(db, mid):
    rows = db.execute("SELECT person_id FROM meeting_attendees WHERE meeting_id = ?", (mid,))
    return sorted(r["person_id"] for r in rows)


def _valid(db, people, t, d, skip, lunch=False):
    return all(
        _in_hours(p, t, d, lunch) and not _overlaps(_busy(db, p["id"], skip), t, d) for p in people
    )


def _room_ok(db, room, n, t, d, skip, video):
    return (
        room["capacity"] >= n
        and (room["has_video"] or not video)
        and not _overlaps(_room_busy(db, room["id"], skip), t, d)
    )


def _check_meeting(db, m, people, d, video, skip, lunch=False):
    # the booked meeting: right people and duration, valid for everyone, room fits and is free
    if _attendees(db, m["id"]) != sorted(p["id"] for p in people):
        return "wrong attendees"
    t = _t(m["start"])
    if _t(m["end"]) - t != d:
        return "wrong duration"
    if not _valid(db, people, t, d, skip, lunch):
        return "an attendee is busy, on lunch or outside working hours"
    room = db.execute("SELECT * FROM rooms WHERE id = ?", (m["room_id"],)).fetchone()
    if not _room_ok(db, room, len(people), t, d, skip, video):
        return "the room is too small, lacks video or is double-booked"
    return ""


def _smallest_room(state, m, n, skip, video):
    """Whether meeting ``m`` (of ``n`` people) is in the smallest room (fewest seats, then
    lowest id) that fits and is free at its time in ``state``, meetings ``skip`` aside."""
    t, d = _t(m["start"]), _t(m["end"]) - _t(m["start"])
    rooms = state.execute("SELECT * FROM rooms ORDER BY capacity, id").fetchall()
    best = next((r for r in rooms if _room_ok(state, r, n, t, d, skip, video)), None)
    return best is not None and best["id"] == m["room_id"]


def _earliest(db, people, d, skip, video, lo=0, hi=5 * 1440, lunch=False):
    rooms = db.execute("SELECT * FROM rooms").fetchall()
    for t in range(lo, hi, 30):
        if _valid(db, people, t, d, skip, lunch) and any(
            _room_ok(db, r, len(people), t, d, skip, video) for r in rooms
        ):
            return t
    return None


def _one_new(db, answer, before, title):
    """The one new meeting when it is the answered one with the asked title, else None."""
    new = [m for m in _meetings(db) if m["id"] not in before]
    m = _the_one(new, answer, "meeting_id")
    return m if m is not None and m["title"] == title else None


def _answered(db, answer, before, title):
    """The answered meeting when it is new and has the asked title (other new meetings
    aside: the change patterns name them), else None."""
    mid = answer.get("meeting_id") if isinstance(answer, dict) else None
    new = [m for m in _meetings(db) if m["id"] not in before and m["title"] == title]
    return next((m for m in new if _is_int(mid) and m["id"] == mid), None)


def _booked_rows(m, people):
    """Change patterns of booking meeting ``m`` for ``people``: the meeting, its attendees,
    their calendar events and its room booking."""
    ids = {p["id"] for p in people}
    when = {"start": m["start"], "end": m["end"], "status": "active"}
    return (
        ("insert", "meetings", {"title": m["title"], "room_id": m["room_id"], **when}),
        ("insert", "meeting_attendees", {"person_id": ids}),
        (
            "insert",
            "events",
            {"person_id": ids, "meeting_id": m["id"], "title": m["title"], **when},
        ),
        ("insert", "room_bookings", {"room_id": m["room_id"], "meeting_id": m["id"], **when}),
    )


def _cancelled_rows(before, mid):
    """Change patterns of cancelling meeting ``mid``: its rows' status, nothing else."""
    out = [("update", "meetings", {"id": mid}, ["status"])]
    for table in ("events", "room_bookings"):
        rows = before.execute(f"SELECT id FROM {table} WHERE meeting_id = ?", (mid,))
        out.append(("update", table, {"id": {r["id"] for r in rows}}, ["status"]))
    return out
