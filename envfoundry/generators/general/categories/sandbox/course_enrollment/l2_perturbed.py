from .l2_core import _best_fit


def solve(tools):
    # never looks at the student's timetable
    return _best_fit(tools, check_timetable=False)
