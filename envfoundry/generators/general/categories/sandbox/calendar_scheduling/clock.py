"""Shared by solutions and verifiers: minutes since Monday 00:00 UTC of the week."""

import datetime

MONDAY: str = "2025-01-06"
_FMT = "%Y-%m-%d %H:%M"
_START = datetime.datetime.strptime(MONDAY + " 00:00", _FMT)


def _t(s):
    return int((datetime.datetime.strptime(s, _FMT) - _START).total_seconds() // 60)


def _s(t):
    return (_START + datetime.timedelta(minutes=t)).strftime(_FMT)


def _hm(s):
    return int(s[:2]) * 60 + int(s[3:])


def _in_hours(p, t, d, lunch=False):
    # inside the person's local working hours on a local weekday (and outside 12-13 local lunch)
    local = t + p["utc_offset_min"]
    day, tod = local // 1440, local % 1440
    if not 0 <= day <= 4 or tod < _hm(p["work_start"]) or tod + d > _hm(p["work_end"]):
        return False
    return not (lunch and tod < 780 and tod + d > 720)


def _overlaps(busy, t, d):
    return any(a < t + d and t < b for a, b in busy)
