"""Shared by solutions and verifiers: when two course meetings clash."""


def _mins(t):
    return int(t[:2]) * 60 + int(t[3:])


def _clash(a, b):
    # two meetings clash when they share a weekday letter (M T W R F) and their times overlap
    if not set(a["days"]) & set(b["days"]):
        return False
    return _mins(a["start"]) < _mins(b["end"]) and _mins(b["start"]) < _mins(a["end"])
