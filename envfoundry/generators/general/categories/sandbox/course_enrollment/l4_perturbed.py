

def solve(tools):
    # applies the credit window to the new courses only, forgetting current enrolments
    st, current = _load(tools, {{NAME}})
    trios = _triples(tools, st, current)
    fit = [t for t in trios if {{LO}} <= sum(c["credits"] for c in t) <= {{HI}}]
    trio = max(fit or trios, key=lambda t: sum(c["credits"] for c in t))
    for c in trio:
        tools.enroll(student_id=st["id"], course_code=c["code"])
    return {"courses": [c["code"] for c in trio]}
