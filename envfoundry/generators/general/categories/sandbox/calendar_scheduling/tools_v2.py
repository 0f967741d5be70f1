# Toolset v2 adds listing and cancelling meetings.
from ..helpers import _active_row, _by_id


def list_meetings(db, person_id):
    """Active meetings a person attends: meeting_id, title, start, end, room_id, attendee_ids."""
    _by_id(db, "people", person_id, "person_id")
    out = []
    for m in db.execute(
        "SELECT m.* FROM meetings m JOIN meeting_attendees a ON a.meeting_id = m.id"
        " WHERE a.person_id = ? AND m.status = 'active' ORDER BY m.start",
        (person_id,),
    ):
        rows = db.execute(
            "SELECT person_id FROM meeting_attendees WHERE meeting_id = ? ORDER BY person_id",
            (m["id"],),
        )
        out.append(
            {
                "meeting_id": m["id"],
                "title": m["title"],
                "start": m["start"],
                "end": m["end"],
                "room_id": m["room_id"],
                "attendee_ids": [r["person_id"] for r in rows],
            }
        )
    return out


def cancel_meeting(db, meeting_id):
    """Cancel an active meeting: frees its room and removes it from attendees' calendars."""
    _active_row(db, "meetings", meeting_id, "meeting_id")
    for table in ("meetings", "events", "room_bookings"):
        col = "id" if table == "meetings" else "meeting_id"
        db.execute(f"UPDATE {table} SET status = 'cancelled' WHERE {col} = ?", (meeting_id,))
    return {"meeting_id": meeting_id, "status": "cancelled"}
