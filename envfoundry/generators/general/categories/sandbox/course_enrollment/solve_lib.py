"""Solution helpers: the student's record and current courses, eligible courses, enrolling."""

from .clash import _clash


def _load(tools, name):
    st = tools.find_student(name=name)
    current = [tools.get_course(code=c) for c in st["enrolled"]]
    return st, current


def _eligible(tools, st, dept, current, seats=True):
    # courses of dept the student may add now: prerequisites done, not taken, seats, no clash
    taken = set(st["completed"]) | set(st["enrolled"])
    out = []
    for c in tools.search_courses(dept=dept):
        if c["code"] in taken or (seats and c["seats_left"] <= 0):
            continue
        full = tools.get_course(code=c["code"])
        done = set(full["prerequisites"]) <= set(st["completed"])
        if done and not any(_clash(full, x) for x in current):
            out.append(full)
    return out


def _enroll(tools, st, courses):
    for c in courses:
        tools.enroll(student_id=st["id"], course_code=c["code"])
    return [c["code"] for c in courses]


def _credits(courses):
    return sum(c["credits"] for c in courses)
