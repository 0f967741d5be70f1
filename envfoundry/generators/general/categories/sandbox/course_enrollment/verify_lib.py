"""Verifier helpers: the student's active courses, prerequisites and schedule checks."""

from ..helpers import _listed
from .clash import _clash


def _student(db, name):
    return db.execute("SELECT * FROM students WHERE name = ?", (name,)).fetchone()


def _course(db, code):
    return db.execute("SELECT * FROM courses WHERE code = ?", (code,)).fetchone()


def _active(db, sid):
    rows = db.execute(
        "SELECT course FROM enrollments WHERE student_id = ? AND status = 'active' ORDER BY id",
        (sid,),
    )
    return [_course(db, r["course"]) for r in rows]


def _prereqs_ok(db, sid, code):
    rows = db.execute("SELECT course FROM completed WHERE student_id = ?", (sid,))
    done = {r["course"] for r in rows}
    rows = db.execute("SELECT requires FROM prerequisites WHERE course = ?", (code,))
    return {r["requires"] for r in rows} <= done and code not in done


def _check_schedule(db, st, courses):
    # every course: prerequisites done, within capacity; no two courses clash; credit limit kept
    for i, c in enumerate(courses):
        if not _prereqs_ok(db, st["id"], c["code"]):
            return f"{c['code']}: prerequisites missing or already completed"
        if c["enrolled"] > c["capacity"]:
            return f"{c['code']} is over capacity"
        for d in courses[i + 1 :]:
            if _clash(c, d):
                return f"{c['code']} clashes with {d['code']}"
    if sum(c["credits"] for c in courses) > st["max_credits"]:
        return "the student's credit limit is exceeded"
    return ""


def _added(db, name, answer, before, depts):
    """The student, all their courses and the new ones, when the new ones are exactly the
    answered courses, one per department of ``depts``, and the old ones are kept."""
    st = _student(db, name)
    courses = _active(db, st["id"])
    new = [c for c in courses if c["code"] not in before]
    if _listed(answer, courses=[c["code"] for c in new]) or len(new) != len(depts):
        return None, f"exactly the {len(depts)} answered courses must be newly enrolled"
    if sorted(c["dept"] for c in new) != sorted(depts):
        return None, "one course from each requested department is required"
    if len(courses) != len(before) + len(depts):
        return None, "existing enrolments must be kept"
    return (st, courses), ""
