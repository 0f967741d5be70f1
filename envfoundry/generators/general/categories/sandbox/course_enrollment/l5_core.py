from .clash import _clash
from .l5_params import DEPTS, NAME, REQUIRED
from .solve_lib import _credits, _eligible, _enroll, _load


def _swap(tools, drop):
    """Enrol in REQUIRED (dropping the clashing courses when ``drop``), then add the course
    with the most credits of DEPTS that the term has room for."""
    st, current = _load(tools, NAME)
    req = tools.get_course(code=REQUIRED)
    keep = [c for c in current if not _clash(c, req)]
    if drop:
        for c in current:
            if _clash(c, req):
                tools.drop_course(student_id=st["id"], course_code=c["code"])
    _enroll(tools, st, [req])
    chosen = [*keep, req]
    total = _credits(chosen)
    st = tools.find_student(name=NAME)
    options = [
        c
        for dept in DEPTS
        for c in _eligible(tools, st, dept, chosen)
        if total + c["credits"] <= st["max_credits"]
    ]
    best = max(options, key=lambda c: c["credits"])
    _enroll(tools, st, [best])
    return {"courses": sorted(tools.find_student(name=NAME)["enrolled"])}
