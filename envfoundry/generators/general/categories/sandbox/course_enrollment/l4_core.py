from .clash import _clash
from .l4_params import DEPTS, NAME
from .solve_lib import _eligible, _load


def _triples(tools):
    """The student, current courses and every clash-free trio, one per department."""
    st, current = _load(tools, NAME)
    lists = [_eligible(tools, st, d, current) for d in DEPTS]
    out = []
    for a in lists[0]:
        for b in lists[1]:
            if _clash(a, b):
                continue
            out += [(a, b, c) for c in lists[2] if not _clash(a, c) and not _clash(b, c)]
    return st, current, out
