

def solve(tools):
    st, current = _load(tools, {{NAME}})
    used = sum(c["credits"] for c in current)
    pairs = [(a, b) for a in _eligible(tools, st, {{DEPTS}}[0], current)
             for b in _eligible(tools, st, {{DEPTS}}[1], current) if not _clash(a, b)]
    a, b = max(pairs, key=lambda p: p[0]["credits"] + p[1]["credits"])
    # forgets the credit limit
    for c in (a, b):
        tools.enroll(student_id=st["id"], course_code=c["code"])
    return {"courses": [a["code"], b["code"]]}
