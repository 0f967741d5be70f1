"""Tool specs and generated-code templates (tools, solutions, verifiers) of the calendar_scheduling category.

The templates are files under ``sandbox/calendar_scheduling/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec
from envfoundry.generators.general.categories._procedural_kit import sandbox_reader

_text = sandbox_reader("calendar_scheduling")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

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
_CLOCK = _text("clock.py")

S_PRELUDE = _CLOCK + _text("s_prelude.py")

V_PRELUDE = _CLOCK + _text("v_prelude.py")

# ------------------------------------------------------------------ level 1: two people, one day

L1_SOLVE = S_PRELUDE + _text("l1_solve.py")
L1_PERTURBED = S_PRELUDE + _text("l1_perturbed.py")
L1_VERIFY = V_PRELUDE + _text("l1_verify.py")

# ------------------------------------------------------------------ level 2: three people, week

L2_SOLVE = S_PRELUDE + _text("l2_solve.py")
L2_PERTURBED = S_PRELUDE + _text("l2_perturbed.py")
L2_VERIFY = V_PRELUDE + _text("l2_verify.py")

# ------------------------------------------------------------------ level 3: book with a room

_S_BOOK = S_PRELUDE + _text("s_book.py")
L3_SOLVE = _S_BOOK + _text("l3_solve.py")
L3_PERTURBED = _S_BOOK + _text("l3_perturbed.py")
L3_VERIFY = V_PRELUDE + _text("l3_verify.py")

# ------------------------------------------------------------------ level 4: meeting + follow-up

_S_PAIR = _S_BOOK + _text("s_pair.py")
L4_SOLVE = _S_PAIR + _text("l4_solve.py")
L4_PERTURBED = _S_PAIR + _text("l4_perturbed.py")
L4_VERIFY = V_PRELUDE + _text("l4_verify.py")

# ------------------------------------------------------------------ level 5: reschedule (v2)

_S_MOVE = _S_BOOK + _text("s_move.py")
L5_SOLVE = _S_MOVE + _text("l5_solve.py")
L5_PERTURBED = _S_MOVE + _text("l5_perturbed.py")
L5_VERIFY = V_PRELUDE + _text("l5_verify.py")
