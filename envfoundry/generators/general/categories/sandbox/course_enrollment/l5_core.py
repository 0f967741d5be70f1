from .clash import _clash
from .l5_params import MIN_CREDITS, NAME, REQUIRED
from .solve_lib import _credits, _eligible, _enroll, _load


def _swap(tools, drop):
    """Enrol in REQUIRED (dropping the clashing courses when ``drop``), then add one course of
    the program when the term is short of MIN_CREDITS."""
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
    if total < MIN_CREDITS:
        st = tools.find_student(name=NAME)
        options = _eligible(tools, st, st["program"], chosen)
        extra = [c for c in options if MIN_CREDITS <= total + c["credits"] <= st["max_credits"]]
        _enroll(tools, st, extra[:1])
    return {"courses": sorted(tools.find_student(name=NAME)["enrolled"])}
