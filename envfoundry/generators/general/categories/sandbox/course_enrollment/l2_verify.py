

def _fits(db, st, current, c):
    return (c["dept"] == {{DEPT}} and c["enrolled"] < c["capacity"] and _prereqs_ok(db, st["id"], c["code"])
            and c["code"] not in [x["code"] for x in current] and not any(_clash(c, x) for x in current))


def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("course"), str):
        return False, "answer must be an object with a string 'course'"
    st = _student(db, {{NAME}})
    current = _active(db, st["id"])
    c = db.execute("SELECT * FROM courses WHERE code = ?", (answer["course"],)).fetchone()
    if c is None or not _fits(db, st, current, c):
        return False, "the course is not an open, eligible, clash-free course of the department"
    best = max(x["credits"] for x in db.execute("SELECT * FROM courses") if _fits(db, st, current, x))
    if c["credits"] < best:
        return False, f"a fitting course with {best} credits exists"
    return True, "fitting course with the most credits"
