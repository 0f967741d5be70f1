from .clash import _clash
from .l3_params import DEPTS, NAME
from .solve_lib import _credits, _eligible, _enroll, _load


def _two_courses(tools, pick, check_limit):
    """Enrol in the pair (one per department, no clash) that ``pick`` chooses by credits."""
    st, current = _load(tools, NAME)
    firsts = _eligible(tools, st, DEPTS[0], current)
    seconds = _eligible(tools, st, DEPTS[1], current)
    pairs = [(a, b) for a in firsts for b in seconds if not _clash(a, b)]
    pair = pick(pairs, key=_credits)
    if check_limit and _credits(current) + _credits(pair) > st["max_credits"]:
        return {"courses": []}
    return {"courses": _enroll(tools, st, pair)}
