from .clock import _t
from .l5_params import NAMES, TITLE
from .solve_lib import _book, _people


def _move(tools, cancel):
    me = _people(tools, NAMES)[0]
    old = next(m for m in tools.list_meetings(person_id=me["id"]) if m["title"] == TITLE)
    if cancel:
        tools.cancel_meeting(meeting_id=old["meeting_id"])
    d = _t(old["end"]) - _t(old["start"])
    m = _book(tools, NAMES, d, TITLE, False, (_t(old["start"]) // 1440 + 1) * 1440)
    return {"meeting_id": m["meeting_id"]}
