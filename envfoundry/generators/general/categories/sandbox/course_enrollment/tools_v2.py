
def drop_course(db, student_id, course_code):
    """Drop a student's active enrolment in a course, freeing the seat."""
    _student(db, student_id)
    _course(db, course_code)
    row = db.execute("SELECT id FROM enrollments WHERE student_id = ? AND course = ? AND status = 'active'",
                     (student_id, course_code)).fetchone()
    if row is None:
        raise ValueError(f"student {student_id} is not enrolled in {course_code}")
    db.execute("UPDATE enrollments SET status = 'dropped' WHERE id = ?", (row["id"],))
    db.execute("UPDATE courses SET enrolled = enrolled - 1 WHERE code = ?", (course_code,))
    return {"student_id": student_id, "course": course_code, "status": "dropped"}
