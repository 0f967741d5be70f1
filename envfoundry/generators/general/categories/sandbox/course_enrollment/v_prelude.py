

def _student(db, name):
    return db.execute("SELECT * FROM students WHERE name = ?", (name,)).fetchone()


def _active(db, sid):
    return [db.execute("SELECT * FROM courses WHERE code = ?", (r["course"],)).fetchone()
            for r in db.execute("SELECT course FROM enrollments WHERE student_id = ? AND status = 'active'"
                                " ORDER BY id", (sid,))]


def _prereqs_ok(db, sid, code):
    done = {r["course"] for r in db.execute("SELECT course FROM completed WHERE student_id = ?", (sid,))}
    need = {r["requires"] for r in db.execute("SELECT requires FROM prerequisites WHERE course = ?", (code,))}
    return need <= done and code not in done


def _check_schedule(db, st, courses):
    # every course: prerequisites done, within capacity; no two courses clash; credit limit kept
    for i, c in enumerate(courses):
        if not _prereqs_ok(db, st["id"], c["code"]):
            return f"{c['code']}: prerequisites missing or already completed"
        if c["enrolled"] > c["capacity"]:
            return f"{c['code']} is over capacity"
        for d in courses[i + 1:]:
            if _clash(c, d):
                return f"{c['code']} clashes with {d['code']}"
    if sum(c["credits"] for c in courses) > st["max_credits"]:
        return "the student's credit limit is exceeded"
    return ""
