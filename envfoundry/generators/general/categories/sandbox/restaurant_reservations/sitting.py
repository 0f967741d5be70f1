"""Shared by tools, solutions, verifiers and the builder: a sitting lasts 120 minutes."""

SITTING = 120


def _m(t):
    return int(t[:2]) * 60 + int(t[3:])


def _inside_hours(rest, start):
    """Whether a sitting starting at ``start`` (minutes) fits the opening hours."""
    return _m(rest["opens"]) <= start and start + SITTING <= _m(rest["closes"])


def _around(time):
    """The sitting's time, then 30 and 60 minutes earlier or later (HH:MM)."""
    base = _m(time)
    return [f"{(base + d) // 60:02d}:{(base + d) % 60:02d}" for d in (0, -30, 30, -60, 60)]
