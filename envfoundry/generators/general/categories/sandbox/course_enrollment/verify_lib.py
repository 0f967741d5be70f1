"""Verifier helpers: the student's active courses, prerequisites, schedule checks and the
episode's changes (only the student's own enrolments, drops and the seat counters)."""

from ..helpers import _listed, _unexpected_change
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


def _codes(db, sid):
    return {c["code"] for c in _active(db, sid)}


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


def _active_count(db, code):
    sql = "SELECT COUNT(*) FROM enrollments WHERE course = ? AND status = 'active'"
    return db.execute(sql, (code,)).fetchone()[0]


def _own_changes(before, db, changes, sid, drops=False):
    """Why the episode changed more than the student's own enrolments (and, with ``drops``,
    their own enrolments' status) and the seat counters that go with them, or ``""``."""
    allowed = [
        ("insert", "enrollments", {"student_id": sid, "status": "active"}),
        ("update", "courses", {}, ("enrolled",)),
    ]
    if drops:
        own = "SELECT id FROM enrollments WHERE student_id = ?"
        ids = {r["id"] for r in before.execute(own, (sid,))}
        allowed.append(("update", "enrollments", {"id": ids}, ("status",)))
    problem = _unexpected_change(changes, *allowed)
    if problem:
        return problem
    for c in before.execute("SELECT code, enrolled FROM courses"):
        moved = _course(db, c["code"])["enrolled"] - c["enrolled"]
        if moved != _active_count(db, c["code"]) - _active_count(before, c["code"]):
            return f"{c['code']}: the seat count does not match its enrolments"
    return ""


def _added(before, db, changes, name, answer, depts):
    """The student and all their courses when the only changes are new enrolments in exactly
    the answered courses (in any order), one per department of ``depts``; else None and why."""
    st = _student(before, name)
    old, now = _codes(before, st["id"]), _codes(db, st["id"])
    new = sorted(now - old)
    problem = _listed(answer, courses=new)
    if problem:
        return None, problem
    if old - now:
        return None, "existing enrolments must be kept"
    if len(new) != len(depts):
        return None, f"exactly {len(depts)} new courses must be enrolled"
    if sorted(_course(db, c)["dept"] for c in new) != sorted(depts):
        return None, "one course from each requested department is required"
    problem = _own_changes(before, db, changes, st["id"])
    if problem:
        return None, problem
    return (st, _active(db, st["id"])), ""
