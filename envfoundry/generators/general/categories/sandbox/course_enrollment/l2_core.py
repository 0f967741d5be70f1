from .l2_params import DEPT, NAME
from .solve_lib import _eligible, _load


def _best_fit(tools, check_timetable):
    st, current = _load(tools, NAME)
    options = _eligible(tools, st, DEPT, current if check_timetable else [])
    return {"course": max(options, key=lambda c: c["credits"])["code"]}
