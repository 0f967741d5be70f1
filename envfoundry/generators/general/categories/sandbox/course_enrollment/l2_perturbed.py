

def solve(tools):
    # never looks at the student's timetable
    st, current = _load(tools, {{NAME}})
    best = max(_eligible(tools, st, {{DEPT}}, []), key=lambda c: c["credits"])
    return {"course": best["code"]}
