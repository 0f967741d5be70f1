from .clock import _t
from .l5_params import NAMES, NAMES2, TITLE, TITLE2
from .solve_lib import _book, _people


def _move(tools, cancel_followup):
    """Cancel the meeting (and, when ``cancel_followup``, its follow-up), book it on a later
    day, then the follow-up on a day after the new meeting."""
    me = _people(tools, NAMES)[0]
    mine = tools.list_meetings(person_id=me["id"])
    old = next(m for m in mine if m["title"] == TITLE)
    old2 = next(m for m in mine if m["title"] == TITLE2)
    tools.cancel_meeting(meeting_id=old["meeting_id"])
    if cancel_followup:
        tools.cancel_meeting(meeting_id=old2["meeting_id"])
    d = _t(old["end"]) - _t(old["start"])
    m = _book(tools, NAMES, d, TITLE, False, (_t(old["start"]) // 1440 + 1) * 1440)
    d2 = _t(old2["end"]) - _t(old2["start"])
    m2 = _book(tools, NAMES2, d2, TITLE2, False, (_t(m["start"]) // 1440 + 1) * 1440)
    return {"meeting_ids": [m["meeting_id"], m2["meeting_id"]]}
