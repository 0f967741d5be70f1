"""Calendar tools: people (time zones, working hours), busy times, rooms and booking.
All times are UTC strings 'YYYY-MM-DD HH:MM'."""

import datetime as _dt

from ..helpers import _by_id, _canon, _dicts, _insert, _is_int, _text_arg

_FMT = "%Y-%m-%d %H:%M"


def _parse(value, what):
    try:
        return _dt.datetime.strptime(value, _FMT)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a UTC time 'YYYY-MM-DD HH:MM', got {value!r}") from None


def _day(date):
    start = _parse(f"{date} 00:00" if isinstance(date, str) else None, "date 'YYYY-MM-DD'")
    return start.strftime(_FMT), (start + _dt.timedelta(days=1)).strftime(_FMT)


def _overlapping(db, sql, key, date):
    """The rows of ``sql`` (active, of ``key``) that overlap a UTC date."""
    lo, hi = _day(date)
    return _dicts(
        db, sql + " AND status = 'active' AND start < ? AND end > ? ORDER BY start", (key, hi, lo)
    )


def list_people(db, team=None):
    """People with team, city, IANA timezone, utc_offset_min for this week and local working
    hours (work_start/work_end, local HH:MM, Monday to Friday)."""
    if team is None:
        return _dicts(db, "SELECT * FROM people ORDER BY id")
    team = _canon(db, "people", "team", team, "team")
    return _dicts(db, "SELECT * FROM people WHERE team = ? ORDER BY id", (team,))


def get_busy(db, person_id, date):
    """A person's busy intervals (start, end, title) that overlap a UTC date 'YYYY-MM-DD'."""
    _by_id(db, "people", person_id, "person_id")
    sql = "SELECT start, end, title FROM events WHERE person_id = ?"
    return _overlapping(db, sql, person_id, date)


def list_rooms(db):
    """Meeting rooms: id, name, office_city, capacity, has_video."""
    rows = _dicts(db, "SELECT * FROM rooms ORDER BY id")
    for r in rows:
        r["has_video"] = bool(r["has_video"])
    return rows


def get_room_schedule(db, room_id, date):
    """Bookings (start, end) of a room that overlap a UTC date 'YYYY-MM-DD'."""
    _by_id(db, "rooms", room_id, "room_id")
    return _overlapping(db, "SELECT start, end FROM room_bookings WHERE room_id = ?", room_id, date)


def _check_meeting(db, start_utc, duration_min, attendee_ids, room_id):
    """The meeting's start time, once every argument is checked."""
    start = _parse(start_utc, "start_utc")
    if start.minute % 30:
        raise ValueError("meetings start on the hour or half hour")
    if not _is_int(duration_min) or duration_min % 30 or not 30 <= duration_min <= 240:
        raise ValueError("duration_min must be 30..240 in steps of 30")
    if (
        not isinstance(attendee_ids, list)
        or not attendee_ids
        or len(set(attendee_ids)) != len(attendee_ids)
    ):
        raise ValueError("attendee_ids must be a non-empty list of distinct person ids")
    for pid in attendee_ids:
        _by_id(db, "people", pid, "person_id")
    room = _by_id(db, "rooms", room_id, "room_id")
    if room["capacity"] < len(attendee_ids):
        raise ValueError(f"room {room_id} seats {room['capacity']}")
    return start


def book_meeting(db, title, start_utc, duration_min, attendee_ids, room_id):
    """Book a meeting in a room and put it in every attendee's calendar. Fails when the room
    is too small or already booked; attendees' availability is NOT checked."""
    _text_arg(title, "title")
    start = _check_meeting(db, start_utc, duration_min, attendee_ids, room_id)
    s, e = start.strftime(_FMT), (start + _dt.timedelta(minutes=duration_min)).strftime(_FMT)
    if db.execute(
        "SELECT 1 FROM room_bookings WHERE room_id = ? AND status = 'active' AND start < ?"
        " AND end > ?",
        (room_id, e, s),
    ).fetchone():
        raise ValueError(f"room {room_id} is already booked between {s} and {e}")
    when = {"start": s, "end": e, "status": "active"}
    mid = _insert(db, "meetings", title=title, room_id=room_id, **when)
    for pid in attendee_ids:
        _insert(db, "meeting_attendees", meeting_id=mid, person_id=pid)
        _insert(db, "events", person_id=pid, title=title, meeting_id=mid, **when)
    _insert(db, "room_bookings", room_id=room_id, meeting_id=mid, **when)
    return {"meeting_id": mid, "start": s, "end": e, "room_id": room_id}
