from ..helpers import _malformed
from .l1_params import DEPT, NAME
from .verify_lib import _active, _prereqs_ok, _student


def verify(answer, db):
    problem = _malformed(answer, courses="list")
    if problem:
        return False, problem
    st = _student(db, NAME)
    active = {c["code"] for c in _active(db, st["id"])}
    want = sorted(
        c["code"]
        for c in db.execute("SELECT * FROM courses WHERE dept = ?", (DEPT,))
        if c["enrolled"] < c["capacity"]
        and c["code"] not in active
        and _prereqs_ok(db, st["id"], c["code"])
    )
    if answer["courses"] != want:
        return False, f"expected {want}, got {answer['courses']}"
    return True, "exact list of open, eligible courses"
