

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("courses"), list):
        return False, "answer must be an object with a list 'courses'"
    st = _student(db, {{NAME}})
    courses = _active(db, st["id"])
    new = [c for c in courses if c["code"] not in {{BEFORE}}]
    if sorted(c["code"] for c in new) != sorted(answer["courses"]) or len(new) != 2:
        return False, "exactly the two answered courses must be newly enrolled"
    if sorted(c["dept"] for c in new) != sorted({{DEPTS}}):
        return False, "one course from each requested department is required"
    if len(courses) != len({{BEFORE}}) + 2:
        return False, "existing enrolments must be kept"
    problem = _check_schedule(db, st, courses)
    return (False, problem) if problem else (True, "valid two-course enrolment")
