from ..helpers import _malformed
from .clock import _s
from .l2_params import DURATION, NAMES
from .verify_lib import _person, _valid


def verify(answer, db):
    problem = _malformed(answer, start_utc="str")
    if problem:
        return False, problem
    people = [_person(db, n) for n in NAMES]
    want = next((t for t in range(0, 5 * 1440, 30) if _valid(db, people, t, DURATION, ())), None)
    if want is None or answer["start_utc"] != _s(want):
        return False, f"the earliest common slot is not {answer['start_utc']!r}"
    return True, "earliest common slot of the week"
