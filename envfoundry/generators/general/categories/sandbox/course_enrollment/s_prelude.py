

def _load(tools, name):
    st = tools.find_student(name=name)
    current = [tools.get_course(code=c) for c in st["enrolled"]]
    return st, current


def _eligible(tools, st, dept, current):
    # courses of dept the student may add now: prerequisites done, not taken, seats, no clash
    taken = set(st["completed"]) | set(st["enrolled"])
    out = []
    for c in tools.search_courses(dept=dept):
        if c["code"] in taken or c["seats_left"] <= 0:
            continue
        full = tools.get_course(code=c["code"])
        if set(full["prerequisites"]) <= set(st["completed"]) and not any(_clash(full, x) for x in current):
            out.append(full)
    return out
