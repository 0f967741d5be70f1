from .l2_core import _best_fit


def solve(tools):
    return _best_fit(tools, check_timetable=True)
