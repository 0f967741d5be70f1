

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("courses"), list):
        return False, "answer must be an object with a list 'courses'"
    st = _student(db, {{NAME}})
    active = {c["code"] for c in _active(db, st["id"])}
    want = sorted(c["code"] for c in db.execute("SELECT * FROM courses WHERE dept = ?", ({{DEPT}},))
                  if c["enrolled"] < c["capacity"] and c["code"] not in active
                  and _prereqs_ok(db, st["id"], c["code"]))
    if answer["courses"] != want:
        return False, f"expected {want}, got {answer['courses']}"
    return True, "exact list of open, eligible courses"
