

def _person(db, name):
    return db.execute("SELECT * FROM people WHERE name = ?", (name,)).fetchone()


def _busy(db, pid, skip=()):
    return [(_t(e["start"]), _t(e["end"])) for e in db.execute(
        "SELECT * FROM events WHERE person_id = ? AND status = 'active'", (pid,))
        if e["meeting_id"] is None or e["meeting_id"] not in skip]


def _room_busy(db, rid, skip=()):
    return [(_t(b["start"]), _t(b["end"])) for b in db.execute(
        "SELECT * FROM room_bookings WHERE room_id = ? AND status = 'active'", (rid,))
        if b["meeting_id"] is None or b["meeting_id"] not in skip]


def _meetings(db):
    return db.execute("SELECT * FROM meetings WHERE status = 'active' ORDER BY id").fetchall()


def _attendees(db, mid):
    return sorted(r["person_id"] for r in db.execute(
        "SELECT person_id FROM meeting_attendees WHERE meeting_id = ?", (mid,)))


def _valid(db, people, t, d, skip, lunch=False):
    return all(_in_hours(p, t, d, lunch) and not _overlaps(_busy(db, p["id"], skip), t, d)
               for p in people)


def _room_ok(db, room, n, t, d, skip, video):
    return (room["capacity"] >= n and (room["has_video"] or not video)
            and not _overlaps(_room_busy(db, room["id"], skip), t, d))


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


def _earliest(db, people, d, skip, video, lo=0, hi=5 * 1440, lunch=False):
    rooms = db.execute("SELECT * FROM rooms").fetchall()
    for t in range(lo, hi, 30):
        if _valid(db, people, t, d, skip, lunch) and any(
                _room_ok(db, r, len(people), t, d, skip, video) for r in rooms):
            return t
    return None
