"""Course enrollment tools: catalogue, prerequisites, student records and enrolment."""

from ..helpers import _by_id, _canon, _column, _insert, _named

_FIELDS = ("code", "title", "dept", "credits", "days", "start", "end")


def _course(db, code):
    if not isinstance(code, str):
        raise ValueError("course code must be a string like 'CS 201'")
    code = _canon(db, "courses", "code", code, "course")
    row = db.execute("SELECT * FROM courses WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise ValueError(f"no course {code!r}")
    out = dict(row)
    out["seats_left"] = out["capacity"] - out["enrolled"]
    return out


def _enrolled(db, student_id, code):
    row = db.execute(
        "SELECT id FROM enrollments WHERE student_id = ? AND course = ? AND status = 'active'",
        (student_id, code),
    ).fetchone()
    return row["id"] if row else None


def search_courses(db, dept=None, days=None):
    """Courses (code, title, dept, credits, days, start, end, seats_left), optionally by dept
    and by exact meeting pattern ('MWF' or 'TR')."""
    sql, args = "SELECT * FROM courses WHERE 1 = 1", []
    if dept is not None:
        sql += " AND dept = ?"
        args.append(_canon(db, "courses", "dept", dept, "dept"))
    if days is not None:
        days = days.strip().upper() if isinstance(days, str) else days
        if days not in ("MWF", "TR"):
            raise ValueError("days must be 'MWF' or 'TR'")
        sql += " AND days = ?"
        args.append(days)
    rows = db.execute(sql + " ORDER BY code", args).fetchall()
    return [
        {k: r[k] for k in _FIELDS} | {"seats_left": r["capacity"] - r["enrolled"]} for r in rows
    ]


def get_course(db, code):
    """One course with schedule, room, capacity, seats_left and its prerequisite codes."""
    out = _course(db, code)
    sql = "SELECT requires FROM prerequisites WHERE course = ? ORDER BY requires"
    out["prerequisites"] = _column(db, sql, (code,))
    return out


def find_student(db, name):
    """A student by exact full name: id, program, year, max_credits (per term), completed
    courses and current enrolments (course codes)."""
    out = _named(db, "students", name, "student")
    done = "SELECT course FROM completed WHERE student_id = ? ORDER BY course"
    now = (
        "SELECT course FROM enrollments WHERE student_id = ? AND status = 'active' ORDER BY course"
    )
    out["completed"] = _column(db, done, (out["id"],))
    out["enrolled"] = _column(db, now, (out["id"],))
    return out


def enroll(db, student_id, course_code):
    """Enrol a student in a course with a free seat. Prerequisites, time clashes and credit
    limits are not checked here: that is the adviser's job."""
    _by_id(db, "students", student_id, "student_id")
    course = _course(db, course_code)
    if course["seats_left"] <= 0:
        raise ValueError(f"{course_code} is full")
    if _enrolled(db, student_id, course_code):
        raise ValueError(f"student {student_id} is already enrolled in {course_code}")
    if db.execute(
        "SELECT 1 FROM completed WHERE student_id = ? AND course = ?", (student_id, course_code)
    ).fetchone():
        raise ValueError(f"student {student_id} already completed {course_code}")
    db.execute("UPDATE courses SET enrolled = enrolled + 1 WHERE code = ?", (course_code,))
    enrollment = _insert(
        db, "enrollments", student_id=student_id, course=course_code, status="active"
    )
    return {"enrollment_id": enrollment, "student_id": student_id, "course": course_code}
