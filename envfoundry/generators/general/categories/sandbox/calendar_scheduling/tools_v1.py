"""Calendar tools: people (time zones, working hours), busy times, rooms and booking.
All times are UTC strings 'YYYY-MM-DD HH:MM'."""

import datetime as _dt

_FMT = "%Y-%m-%d %H:%M"


def _parse(value, what):
    try:
        return _dt.datetime.strptime(value, _FMT)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a UTC time 'YYYY-MM-DD HH:MM', got {value!r}") from None


def _day(date):
    start = _parse(f"{date} 00:00" if isinstance(date, str) else None, "date 'YYYY-MM-DD'")
    return start.strftime(_FMT), (start + _dt.timedelta(days=1)).strftime(_FMT)


def _person(db, person_id):
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        raise ValueError("person_id must be an integer")
    row = db.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise ValueError(f"no person with id {person_id}")
    return dict(row)


def _room(db, room_id):
    if not isinstance(room_id, int) or isinstance(room_id, bool):
        raise ValueError("room_id must be an integer")
    row = db.execute("SELECT * FROM rooms WHERE id = ?", (room_id,)).fetchone()
    if row is None:
        raise ValueError(f"no room with id {room_id}")
    return dict(row)


def list_people(db, team=None):
    """People with team, city, IANA timezone, utc_offset_min for this week and local working
    hours (work_start/work_end, local HH:MM, Monday to Friday)."""
    sql, args = "SELECT * FROM people", []
    if team is not None:
        sql, args = sql + " WHERE team = ?", [team]
    return [dict(r) for r in db.execute(sql + " ORDER BY id", args)]


def get_busy(db, person_id, date):
    """A person's busy intervals (start, end, title) that overlap a UTC date 'YYYY-MM-DD'."""
    _person(db, person_id)
    lo, hi = _day(date)
    return [dict(r) for r in db.execute(
        "SELECT start, end, title FROM events WHERE person_id = ? AND status = 'active'"
        " AND start < ? AND end > ? ORDER BY start", (person_id, hi, lo))]


def list_rooms(db):
    """Meeting rooms: id, name, office_city, capacity, has_video."""
    rows = [dict(r) for r in db.execute("SELECT * FROM rooms ORDER BY id")]
    for r in rows:
        r["has_video"] = bool(r["has_video"])
    return rows


def get_room_schedule(db, room_id, date):
    """Bookings (start, end) of a room that overlap a UTC date 'YYYY-MM-DD'."""
    _room(db, room_id)
    lo, hi = _day(date)
    return [dict(r) for r in db.execute(
        "SELECT start, end FROM room_bookings WHERE room_id = ? AND status = 'active'"
        " AND start < ? AND end > ? ORDER BY start", (room_id, hi, lo))]


def book_meeting(db, title, start_utc, duration_min, attendee_ids, room_id):
    """Book a meeting in a room and put it in every attendee's calendar. Fails when the room
    is too small or already booked; attendees' availability is NOT checked."""
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title must be a non-empty string")
    start = _parse(start_utc, "start_utc")
    if start.minute % 30:
        raise ValueError("meetings start on the hour or half hour")
    if not isinstance(duration_min, int) or duration_min % 30 or not 30 <= duration_min <= 240:
        raise ValueError("duration_min must be 30..240 in steps of 30")
    if not isinstance(attendee_ids, list) or not attendee_ids or len(set(attendee_ids)) != len(attendee_ids):
        raise ValueError("attendee_ids must be a non-empty list of distinct person ids")
    for pid in attendee_ids:
        _person(db, pid)
    room = _room(db, room_id)
    if room["capacity"] < len(attendee_ids):
        raise ValueError(f"room {room_id} seats {room['capacity']}")
    s, e = start.strftime(_FMT), (start + _dt.timedelta(minutes=duration_min)).strftime(_FMT)
    if db.execute("SELECT 1 FROM room_bookings WHERE room_id = ? AND status = 'active' AND start < ?"
                  " AND end > ?", (room_id, e, s)).fetchone():
        raise ValueError(f"room {room_id} is already booked between {s} and {e}")
    mid = db.execute("INSERT INTO meetings (title, start, end, room_id, status) VALUES"
                     " (?, ?, ?, ?, 'active')", (title, s, e, room_id)).lastrowid
    for pid in attendee_ids:
        db.execute("INSERT INTO meeting_attendees VALUES (?, ?)", (mid, pid))
        db.execute("INSERT INTO events (person_id, start, end, title, meeting_id, status) VALUES"
                   " (?, ?, ?, ?, ?, 'active')", (pid, s, e, title, mid))
    db.execute("INSERT INTO room_bookings (room_id, start, end, meeting_id, status) VALUES"
               " (?, ?, ?, ?, 'active')", (room_id, s, e, mid))
    return {"meeting_id": mid, "start": s, "end": e, "room_id": room_id}
