
def solve(tools):
    st = tools.find_student(name={{NAME}})
    taken = set(st["completed"]) | set(st["enrolled"])
    out = []
    for c in tools.search_courses(dept={{DEPT}}):
        if c["code"] not in taken:
            if set(tools.get_course(code=c["code"])["prerequisites"]) <= set(st["completed"]):
                out.append(c["code"])
    return {"courses": sorted(out)}
