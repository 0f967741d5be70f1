"""Tool specs of the calendar_scheduling category; the tools are ``sandbox/calendar_scheduling/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import tool

_TIME = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$"}
_DATE = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
TOOLS_V1_SPECS = (
    tool(
        "list_people",
        "People: id, name, team, city, timezone, utc_offset_min (local = UTC + offset this "
        "week), work_start and work_end (local HH:MM, Monday-Friday); optionally one team.",
        {"team": {"type": "string"}},
    ),
    tool(
        "get_busy",
        "A person's busy intervals (start, end, title; UTC 'YYYY-MM-DD HH:MM') overlapping "
        "the given UTC date.",
        {"person_id": {"type": "integer"}, "date": _DATE},
        ["person_id", "date"],
    ),
    tool("list_rooms", "Meeting rooms: id, name, office_city, capacity, has_video."),
    tool(
        "get_room_schedule",
        "A room's bookings (start, end; UTC) overlapping the given UTC date.",
        {"room_id": {"type": "integer"}, "date": _DATE},
        ["room_id", "date"],
    ),
    tool(
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
    tool(
        "list_meetings",
        "Active meetings a person attends: meeting_id, title, start, end, room_id, attendee_ids.",
        {"person_id": {"type": "integer"}},
        ["person_id"],
    ),
    tool(
        "cancel_meeting",
        "Cancel an active meeting: frees its room and removes it from every attendee's calendar.",
        {"meeting_id": {"type": "integer"}},
        ["meeting_id"],
        mutates=True,
    ),
)
