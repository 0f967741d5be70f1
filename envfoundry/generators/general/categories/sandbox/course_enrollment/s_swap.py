

def _swap(tools, drop):
    st, current = _load(tools, {{NAME}})
    req = tools.get_course(code={{REQUIRED}})
    keep = [c for c in current if not _clash(c, req)]
    if drop:
        for c in current:
            if _clash(c, req):
                tools.drop_course(student_id=st["id"], course_code=c["code"])
    tools.enroll(student_id=st["id"], course_code=req["code"])
    chosen = keep + [req]
    total = sum(c["credits"] for c in chosen)
    if total < {{MIN_CREDITS}}:
        st = tools.find_student(name={{NAME}})
        for c in _eligible(tools, st, st["program"], chosen):
            if {{MIN_CREDITS}} <= total + c["credits"] <= st["max_credits"]:
                tools.enroll(student_id=st["id"], course_code=c["code"])
                chosen.append(c)
                break
    return {"courses": sorted(tools.find_student(name={{NAME}})["enrolled"])}
