

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("courses"), list):
        return False, "answer must be an object with a list 'courses'"
    st = _student(db, {{NAME}})
    courses = _active(db, st["id"])
    codes = sorted(c["code"] for c in courses)
    if codes != sorted(answer["courses"]):
        return False, f"the answer must list the final enrolments {codes}"
    req = db.execute("SELECT * FROM courses WHERE code = ?", ({{REQUIRED}},)).fetchone()
    if req["code"] not in codes or req["enrolled"] != {{REQUIRED_ENROLLED}} + 1:
        return False, "the required course is not enrolled"
    for code, before in {{DROP}}.items():
        row = db.execute("SELECT enrolled FROM courses WHERE code = ?", (code,)).fetchone()
        if code in codes or row["enrolled"] != before - 1:
            return False, f"{code} clashes with the required course and must be dropped"
    if any(c not in codes for c in {{KEEP}}):
        return False, "courses that do not clash must be kept"
    total = sum(c["credits"] for c in courses)
    if total < {{MIN_CREDITS}}:
        return False, f"total credits {total} are below the minimum"
    extra = [c for c in courses if c["code"] not in {{KEEP}} and c["code"] != req["code"]]
    base = total - sum(c["credits"] for c in extra)
    if base >= {{MIN_CREDITS}} and extra:
        return False, "no extra course was needed"
    if base < {{MIN_CREDITS}} and (len(extra) != 1 or extra[0]["dept"] != st["program"]):
        return False, "exactly one extra course from the student's program is required"
    problem = _check_schedule(db, st, courses)
    return (False, problem) if problem else (True, f"schedule swapped, {total} credits")
