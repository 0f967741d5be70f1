# Toolset v2 adds dropping a course.
from ..helpers import _by_id
from .tools_v1 import _course, _enrolled


def drop_course(db, student_id, course_code):
    """Drop a student's active enrolment in a course, freeing the seat."""
    _by_id(db, "students", student_id, "student_id")
    _course(db, course_code)
    enrollment = _enrolled(db, student_id, course_code)
    if enrollment is None:
        raise ValueError(f"student {student_id} is not enrolled in {course_code}")
    db.execute("UPDATE enrollments SET status = 'dropped' WHERE id = ?", (enrollment,))
    db.execute("UPDATE courses SET enrolled = enrolled - 1 WHERE code = ?", (course_code,))
    return {"student_id": student_id, "course": course_code, "status": "dropped"}
