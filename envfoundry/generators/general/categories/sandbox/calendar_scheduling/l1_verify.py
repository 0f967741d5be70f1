from ..helpers import _malformed, _unexpected_change
from .clock import _s
from .l1_params import DAY, NAMES
from .verify_lib import _person, _valid


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes) or _malformed(answer, start_utc="str")
    if problem:  # a question: nothing may change
        return False, problem
    people = [_person(before, n) for n in NAMES]
    slots = range(DAY * 1440, (DAY + 1) * 1440, 30)
    want = next((t for t in slots if _valid(before, people, t, 30, ())), None)
    if want is None or answer["start_utc"] != _s(want):
        return False, f"the earliest common slot is not {answer['start_utc']!r}"
    return True, "earliest common slot"
