from .l3_params import DURATION, NAMES, TITLE
from .solve_lib import _book


def solve(tools):
    m = _book(tools, NAMES, DURATION, TITLE, True)
    return {"meeting_id": m["meeting_id"]}
