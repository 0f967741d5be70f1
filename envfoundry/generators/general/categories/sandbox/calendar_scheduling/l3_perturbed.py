from .l3_params import DURATION, NAMES, TITLE
from .solve_lib import _book


def solve(tools):
    # forgets that the meeting needs a video-equipped room
    m = _book(tools, NAMES, DURATION, TITLE, False)
    return {"meeting_id": m["meeting_id"]}
