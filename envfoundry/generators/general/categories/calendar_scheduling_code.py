"""Generated-code templates of the calendar_scheduling category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec

SCHEMA_SQL = """
CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL,
  city TEXT NOT NULL, country TEXT NOT NULL, timezone TEXT NOT NULL,
  utc_offset_min INTEGER NOT NULL, work_start TEXT NOT NULL, work_end TEXT NOT NULL);
CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL, office_city TEXT NOT NULL,
  capacity INTEGER NOT NULL, has_video INTEGER NOT NULL);
CREATE TABLE meetings (id INTEGER PRIMARY KEY, title TEXT NOT NULL, start TEXT NOT NULL,
  end TEXT NOT NULL, room_id INTEGER NOT NULL REFERENCES rooms(id), status TEXT NOT NULL);
CREATE TABLE meeting_attendees (meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  person_id INTEGER NOT NULL REFERENCES people(id), PRIMARY KEY (meeting_id, person_id));
CREATE TABLE events (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id),
  start TEXT NOT NULL, end TEXT NOT NULL, title TEXT NOT NULL, meeting_id INTEGER,
  status TEXT NOT NULL);
CREATE TABLE room_bookings (id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL REFERENCES rooms(id),
  start TEXT NOT NULL, end TEXT NOT NULL, meeting_id INTEGER, status TEXT NOT NULL);
"""

TOOLS_V1 = '''"""Calendar tools: people (time zones, working hours), busy times, rooms and booking.
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
'''

TOOLS_V2_EXTRA = '''
def list_meetings(db, person_id):
    """Active meetings a person attends: meeting_id, title, start, end, room_id, attendee_ids."""
    _person(db, person_id)
    out = []
    for m in db.execute(
            "SELECT m.* FROM meetings m JOIN meeting_attendees a ON a.meeting_id = m.id"
            " WHERE a.person_id = ? AND m.status = 'active' ORDER BY m.start", (person_id,)):
        ids = [r["person_id"] for r in db.execute(
            "SELECT person_id FROM meeting_attendees WHERE meeting_id = ? ORDER BY person_id", (m["id"],))]
        out.append({"meeting_id": m["id"], "title": m["title"], "start": m["start"], "end": m["end"],
                    "room_id": m["room_id"], "attendee_ids": ids})
    return out


def cancel_meeting(db, meeting_id):
    """Cancel an active meeting: frees its room and removes it from attendees' calendars."""
    row = db.execute("SELECT status FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
    if row is None:
        raise ValueError(f"no meeting with id {meeting_id}")
    if row["status"] != "active":
        raise ValueError(f"meeting {meeting_id} is already {row['status']}")
    for table in ("meetings", "events", "room_bookings"):
        col = "id" if table == "meetings" else "meeting_id"
        db.execute(f"UPDATE {table} SET status = 'cancelled' WHERE {col} = ?", (meeting_id,))
    return {"meeting_id": meeting_id, "status": "cancelled"}
'''

_TIME = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$"}
_DATE = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
TOOLS_V1_SPECS = (
    spec(
        "list_people",
        "People: id, name, team, city, timezone, utc_offset_min (local = UTC + offset this "
        "week), work_start and work_end (local HH:MM, Monday-Friday); optionally one team.",
        {"team": {"type": "string"}},
    ),
    spec(
        "get_busy",
        "A person's busy intervals (start, end, title; UTC 'YYYY-MM-DD HH:MM') overlapping "
        "the given UTC date.",
        {"person_id": {"type": "integer"}, "date": _DATE},
        ["person_id", "date"],
    ),
    spec("list_rooms", "Meeting rooms: id, name, office_city, capacity, has_video."),
    spec(
        "get_room_schedule",
        "A room's bookings (start, end; UTC) overlapping the given UTC date.",
        {"room_id": {"type": "integer"}, "date": _DATE},
        ["room_id", "date"],
    ),
    spec(
        "book_meeting",
        "Book a meeting (UTC start on :00/:30, duration 30-240 minutes in steps of 30) in a "
        "room and add it to each attendee's calendar. Fails if the room is too small or "
        "already booked; it does NOT check attendees' availability or working hours.",
        {
            "title": {"type": "string", "minLength": 1},
            "start_utc": _TIME,
            "duration_min": {"type": "integer", "minimum": 30, "maximum": 240},
            "attendee_ids": {"type": "array", "items": {"type": "integer"}, "minItems": 1},
            "room_id": {"type": "integer"},
        },
        ["title", "start_utc", "duration_min", "attendee_ids", "room_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    spec(
        "list_meetings",
        "Active meetings a person attends: meeting_id, title, start, end, room_id, attendee_ids.",
        {"person_id": {"type": "integer"}},
        ["person_id"],
    ),
    spec(
        "cancel_meeting",
        "Cancel an active meeting: frees its room and removes it from every attendee's calendar.",
        {"meeting_id": {"type": "integer"}},
        ["meeting_id"],
        mutates=True,
    ),
)

# Shared by solutions and verifiers: minutes since Monday 00:00 UTC of the week.
_CLOCK = """
import datetime

MONDAY = datetime.datetime.strptime({{MONDAY}} + " 00:00", "%Y-%m-%d %H:%M")


def _t(s):
    return int((datetime.datetime.strptime(s, "%Y-%m-%d %H:%M") - MONDAY).total_seconds() // 60)


def _s(t):
    return (MONDAY + datetime.timedelta(minutes=t)).strftime("%Y-%m-%d %H:%M")


def _hm(s):
    return int(s[:2]) * 60 + int(s[3:])


def _in_hours(p, t, d, lunch=False):
    # inside the person's local working hours on a local weekday (and outside 12-13 local lunch)
    local = t + p["utc_offset_min"]
    day, tod = local // 1440, local % 1440
    if not 0 <= day <= 4 or tod < _hm(p["work_start"]) or tod + d > _hm(p["work_end"]):
        return False
    return not (lunch and tod < 780 and tod + d > 720)


def _overlaps(busy, t, d):
    return any(a < t + d and t < b for a, b in busy)
"""

S_PRELUDE = (
    _CLOCK
    + """

def _people(tools, names):
    everyone = {p["name"]: p for p in tools.list_people()}
    return [everyone[n] for n in names]


def _busy(tools, pid):
    out = []
    for day in range(5):
        for e in tools.get_busy(person_id=pid, date=_s(day * 1440)[:10]):
            out.append((_t(e["start"]), _t(e["end"])))
    return out


def _room_busy(tools, rid):
    out = []
    for day in range(5):
        for b in tools.get_room_schedule(room_id=rid, date=_s(day * 1440)[:10]):
            out.append((_t(b["start"]), _t(b["end"])))
    return out


def _slots(people, busy, d, lo=0, hi=5 * 1440, lunch=False):
    for t in range(lo, hi, 30):
        if all(_in_hours(p, t, d, lunch) and not _overlaps(busy[p["id"]], t, d) for p in people):
            yield t
"""
)

V_PRELUDE = (
    _CLOCK
    + """

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
"""
)

# ------------------------------------------------------------------ level 1: two people, one day

L1_SOLVE = (
    S_PRELUDE
    + """

def solve(tools):
    people = _people(tools, {{NAMES}})
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    for t in _slots(people, busy, 30, {{DAY}} * 1440, ({{DAY}} + 1) * 1440):
        return {"start_utc": _s(t)}
    return {"start_utc": ""}
"""
)
L1_PERTURBED = (
    S_PRELUDE
    + """

def solve(tools):
    # checks both calendars but only the first person's working hours
    people = _people(tools, {{NAMES}})
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    for t in _slots(people[:1], busy, 30, {{DAY}} * 1440, ({{DAY}} + 1) * 1440):
        if not _overlaps(busy[people[1]["id"]], t, 30):
            return {"start_utc": _s(t)}
    return {"start_utc": ""}
"""
)
L1_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("start_utc"), str):
        return False, "answer must be an object with a string 'start_utc'"
    people = [_person(db, n) for n in {{NAMES}}]
    want = next((t for t in range({{DAY}} * 1440, ({{DAY}} + 1) * 1440, 30)
                 if _valid(db, people, t, 30, ())), None)
    if want is None or answer["start_utc"] != _s(want):
        return False, f"the earliest common slot is not {answer['start_utc']!r}"
    return True, "earliest common slot"
"""
)

# ------------------------------------------------------------------ level 2: three people, week

L2_SOLVE = (
    S_PRELUDE
    + """

def solve(tools):
    people = _people(tools, {{NAMES}})
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    for t in _slots(people, busy, {{DURATION}}):
        return {"start_utc": _s(t)}
    return {"start_utc": ""}
"""
)
L2_PERTURBED = L2_SOLVE.replace(
    "people = _people(tools, {{NAMES}})",
    "people = _people(tools, {{NAMES}})[:2]  # drops the third",
)
L2_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("start_utc"), str):
        return False, "answer must be an object with a string 'start_utc'"
    people = [_person(db, n) for n in {{NAMES}}]
    want = next((t for t in range(0, 5 * 1440, 30) if _valid(db, people, t, {{DURATION}}, ())), None)
    if want is None or answer["start_utc"] != _s(want):
        return False, f"the earliest common slot is not {answer['start_utc']!r}"
    return True, "earliest common slot of the week"
"""
)

# ------------------------------------------------------------------ level 3: book with a room

_S_BOOK = (
    S_PRELUDE
    + """

def _book(tools, names, d, title, video, lo=0, lunch=False):
    people = _people(tools, names)
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    rooms = sorted((r for r in tools.list_rooms() if r["capacity"] >= len(people)
                    and (r["has_video"] or not video)), key=lambda r: (r["capacity"], r["id"]))
    room_busy = {r["id"]: _room_busy(tools, r["id"]) for r in rooms}
    for t in _slots(people, busy, d, lo, 5 * 1440, lunch):
        for r in rooms:
            if not _overlaps(room_busy[r["id"]], t, d):
                m = tools.book_meeting(title=title, start_utc=_s(t), duration_min=d,
                                       attendee_ids=[p["id"] for p in people], room_id=r["id"])
                return m
    return None
"""
)
L3_SOLVE = (
    _S_BOOK
    + """

def solve(tools):
    m = _book(tools, {{NAMES}}, {{DURATION}}, {{TITLE}}, True)
    return {"meeting_id": m["meeting_id"]}
"""
)
L3_PERTURBED = (
    _S_BOOK
    + """

def solve(tools):
    # forgets that the meeting needs a video-equipped room
    m = _book(tools, {{NAMES}}, {{DURATION}}, {{TITLE}}, False)
    return {"meeting_id": m["meeting_id"]}
"""
)
L3_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("meeting_id"), int):
        return False, "answer must be an object with an integer 'meeting_id'"
    new = [m for m in _meetings(db) if m["id"] not in {{BEFORE}}]
    if len(new) != 1 or new[0]["id"] != answer["meeting_id"] or new[0]["title"] != {{TITLE}}:
        return False, "exactly one new meeting, the one answered and titled as asked, is expected"
    m = new[0]
    people = [_person(db, n) for n in {{NAMES}}]
    problem = _check_meeting(db, m, people, {{DURATION}}, True, (m["id"],))
    if problem:
        return False, problem
    if _t(m["start"]) != _earliest(db, people, {{DURATION}}, (m["id"],), True):
        return False, "an earlier slot with a free video room existed"
    return True, "meeting booked at the earliest valid slot"
"""
)

# ------------------------------------------------------------------ level 4: meeting + follow-up

_S_PAIR = (
    _S_BOOK
    + """

def _pair(tools, lunch):
    m1 = _book(tools, {{NAMES1}}, {{DURATION1}}, {{TITLE1}}, False, 0, lunch)
    next_day = (_t(m1["start"]) // 1440 + 1) * 1440
    m2 = _book(tools, {{NAMES2}}, {{DURATION2}}, {{TITLE2}}, False, next_day, lunch)
    return {"meeting_ids": [m1["meeting_id"], m2["meeting_id"]]}
"""
)
L4_SOLVE = (
    _S_PAIR
    + """

def solve(tools):
    return _pair(tools, True)
"""
)
L4_PERTURBED = (
    _S_PAIR
    + """

def solve(tools):
    # ignores everyone's local lunch hour
    return _pair(tools, False)
"""
)
L4_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("meeting_ids"), list):
        return False, "answer must be an object with a list 'meeting_ids'"
    new = [m for m in _meetings(db) if m["id"] not in {{BEFORE}}]
    if len(new) != 2 or sorted(m["id"] for m in new) != sorted(answer["meeting_ids"]):
        return False, "exactly the two answered meetings must be new"
    by_title = {m["title"]: m for m in new}
    if sorted(by_title) != sorted([{{TITLE1}}, {{TITLE2}}]):
        return False, "the meetings must carry the requested titles"
    m1, m2 = by_title[{{TITLE1}}], by_title[{{TITLE2}}]
    # each meeting is judged against everything else in the calendar, the other one included
    for m, names, d in ((m1, {{NAMES1}}, {{DURATION1}}), (m2, {{NAMES2}}, {{DURATION2}})):
        problem = _check_meeting(db, m, [_person(db, n) for n in names], d, False, (m["id"],), True)
        if problem:
            return False, f"{m['title']}: {problem}"
    p1 = [_person(db, n) for n in {{NAMES1}}]
    if _t(m1["start"]) != _earliest(db, p1, {{DURATION1}}, (m1["id"],), False, lunch=True):
        return False, "the first meeting is not at its earliest valid slot"
    lo = (_t(m1["start"]) // 1440 + 1) * 1440
    p2 = [_person(db, n) for n in {{NAMES2}}]
    if _t(m2["start"]) < lo or _t(m2["start"]) != _earliest(db, p2, {{DURATION2}}, (m2["id"],), False, lo, lunch=True):
        return False, "the follow-up is not at its earliest valid slot on a later day"
    return True, "meeting and follow-up booked"
"""
)

# ------------------------------------------------------------------ level 5: reschedule (v2)

_S_MOVE = (
    _S_BOOK
    + """

def _move(tools, cancel):
    me = _people(tools, {{NAMES}})[0]
    old = [m for m in tools.list_meetings(person_id=me["id"]) if m["title"] == {{TITLE}}][0]
    if cancel:
        tools.cancel_meeting(meeting_id=old["meeting_id"])
    d = _t(old["end"]) - _t(old["start"])
    m = _book(tools, {{NAMES}}, d, {{TITLE}}, False, (_t(old["start"]) // 1440 + 1) * 1440)
    return {"meeting_id": m["meeting_id"]}
"""
)
L5_SOLVE = (
    _S_MOVE
    + """

def solve(tools):
    return _move(tools, True)
"""
)
L5_PERTURBED = (
    _S_MOVE
    + """

def solve(tools):
    # books the new slot but never cancels the old meeting
    return _move(tools, False)
"""
)
L5_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("meeting_id"), int):
        return False, "answer must be an object with an integer 'meeting_id'"
    old = db.execute("SELECT * FROM meetings WHERE id = ?", ({{OLD_ID}},)).fetchone()
    left = db.execute("SELECT COUNT(*) AS n FROM events WHERE meeting_id = ? AND status = 'active'",
                      ({{OLD_ID}},)).fetchone()["n"]
    if old["status"] != "cancelled" or left:
        return False, "the original meeting must be cancelled"
    new = [m for m in _meetings(db) if m["id"] not in {{BEFORE}}]
    if len(new) != 1 or new[0]["id"] != answer["meeting_id"] or new[0]["title"] != old["title"]:
        return False, "exactly one new meeting with the same title, the one answered, is expected"
    m = new[0]
    people = [_person(db, n) for n in {{NAMES}}]
    d = _t(old["end"]) - _t(old["start"])
    problem = _check_meeting(db, m, people, d, False, (m["id"],))
    if problem:
        return False, problem
    lo = (_t(old["start"]) // 1440 + 1) * 1440
    if _t(m["start"]) < lo or _t(m["start"]) != _earliest(db, people, d, (m["id"],), False, lo):
        return False, "not the earliest valid slot after the original day"
    return True, "meeting rescheduled"
"""
)
