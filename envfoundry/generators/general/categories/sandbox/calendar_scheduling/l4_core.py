from .clock import _t
from .l4_params import DURATION1, DURATION2, NAMES1, NAMES2, TITLE1, TITLE2
from .solve_lib import _book


def _pair(tools, lunch):
    m1 = _book(tools, NAMES1, DURATION1, TITLE1, False, 0, lunch)
    next_day = (_t(m1["start"]) // 1440 + 1) * 1440
    m2 = _book(tools, NAMES2, DURATION2, TITLE2, False, next_day, lunch)
    return {"meeting_ids": [m1["meeting_id"], m2["meeting_id"]]}
