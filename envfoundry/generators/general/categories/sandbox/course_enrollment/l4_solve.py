

def solve(tools):
    st, current = _load(tools, {{NAME}})
    used = sum(c["credits"] for c in current)
    for trio in _triples(tools, st, current):
        if {{LO}} <= used + sum(c["credits"] for c in trio) <= {{HI}}:
            for c in trio:
                tools.enroll(student_id=st["id"], course_code=c["code"])
            return {"courses": [c["code"] for c in trio]}
    return {"courses": []}
