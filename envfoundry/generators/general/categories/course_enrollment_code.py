"""Generated-code templates of the course_enrollment category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec

SCHEMA_SQL = """
CREATE TABLE courses (code TEXT PRIMARY KEY, title TEXT NOT NULL, dept TEXT NOT NULL,
  credits INTEGER NOT NULL, days TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
  room TEXT NOT NULL, capacity INTEGER NOT NULL, enrolled INTEGER NOT NULL);
CREATE TABLE prerequisites (course TEXT NOT NULL REFERENCES courses(code),
  requires TEXT NOT NULL REFERENCES courses(code), PRIMARY KEY (course, requires));
CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT NOT NULL, program TEXT NOT NULL,
  year INTEGER NOT NULL, max_credits INTEGER NOT NULL);
CREATE TABLE completed (student_id INTEGER NOT NULL REFERENCES students(id),
  course TEXT NOT NULL REFERENCES courses(code), grade TEXT NOT NULL,
  PRIMARY KEY (student_id, course));
CREATE TABLE enrollments (id INTEGER PRIMARY KEY, student_id INTEGER NOT NULL
  REFERENCES students(id), course TEXT NOT NULL REFERENCES courses(code), status TEXT NOT NULL);
"""

TOOLS_V1 = '''"""Course enrollment tools: catalogue, prerequisites, student records and enrolment."""


def _course(db, code):
    if not isinstance(code, str):
        raise ValueError("course code must be a string like 'CS 201'")
    row = db.execute("SELECT * FROM courses WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise ValueError(f"no course {code!r}")
    out = dict(row)
    out["seats_left"] = out["capacity"] - out["enrolled"]
    return out


def _student(db, student_id):
    if not isinstance(student_id, int) or isinstance(student_id, bool):
        raise ValueError("student_id must be an integer")
    row = db.execute("SELECT * FROM students WHERE id = ?", (student_id,)).fetchone()
    if row is None:
        raise ValueError(f"no student with id {student_id}")
    return dict(row)


def search_courses(db, dept=None, days=None):
    """Courses (code, title, dept, credits, days, start, end, seats_left), optionally by dept
    and by exact meeting pattern ('MWF' or 'TR')."""
    sql, args = "SELECT * FROM courses WHERE 1 = 1", []
    if dept is not None:
        sql += " AND dept = ?"
        args.append(dept)
    if days is not None:
        if days not in ("MWF", "TR"):
            raise ValueError("days must be 'MWF' or 'TR'")
        sql += " AND days = ?"
        args.append(days)
    return [
        {k: r[k] for k in ("code", "title", "dept", "credits", "days", "start", "end")}
        | {"seats_left": r["capacity"] - r["enrolled"]}
        for r in db.execute(sql + " ORDER BY code", args).fetchall()
    ]


def get_course(db, code):
    """One course with schedule, room, capacity, seats_left and its prerequisite codes."""
    out = _course(db, code)
    out["prerequisites"] = [
        r["requires"] for r in db.execute(
            "SELECT requires FROM prerequisites WHERE course = ? ORDER BY requires", (code,)
        ).fetchall()
    ]
    return out


def find_student(db, name):
    """A student by exact full name: id, program, year, max_credits (per term), completed
    courses and current enrolments (course codes)."""
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    row = db.execute("SELECT id FROM students WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no student named {name!r}")
    out = _student(db, row["id"])
    out["completed"] = [r["course"] for r in db.execute(
        "SELECT course FROM completed WHERE student_id = ? ORDER BY course", (row["id"],))]
    out["enrolled"] = [r["course"] for r in db.execute(
        "SELECT course FROM enrollments WHERE student_id = ? AND status = 'active' ORDER BY course",
        (row["id"],))]
    return out


def enroll(db, student_id, course_code):
    """Enrol a student in a course with a free seat. Prerequisites, time clashes and credit
    limits are not checked here: that is the adviser's job."""
    _student(db, student_id)
    course = _course(db, course_code)
    if course["seats_left"] <= 0:
        raise ValueError(f"{course_code} is full")
    if db.execute("SELECT 1 FROM enrollments WHERE student_id = ? AND course = ? AND status = 'active'",
                  (student_id, course_code)).fetchone():
        raise ValueError(f"student {student_id} is already enrolled in {course_code}")
    if db.execute("SELECT 1 FROM completed WHERE student_id = ? AND course = ?",
                  (student_id, course_code)).fetchone():
        raise ValueError(f"student {student_id} already completed {course_code}")
    db.execute("UPDATE courses SET enrolled = enrolled + 1 WHERE code = ?", (course_code,))
    cur = db.execute("INSERT INTO enrollments (student_id, course, status) VALUES (?, ?, 'active')",
                     (student_id, course_code))
    return {"enrollment_id": cur.lastrowid, "student_id": student_id, "course": course_code}
'''

TOOLS_V2_EXTRA = '''
def drop_course(db, student_id, course_code):
    """Drop a student's active enrolment in a course, freeing the seat."""
    _student(db, student_id)
    _course(db, course_code)
    row = db.execute("SELECT id FROM enrollments WHERE student_id = ? AND course = ? AND status = 'active'",
                     (student_id, course_code)).fetchone()
    if row is None:
        raise ValueError(f"student {student_id} is not enrolled in {course_code}")
    db.execute("UPDATE enrollments SET status = 'dropped' WHERE id = ?", (row["id"],))
    db.execute("UPDATE courses SET enrolled = enrolled - 1 WHERE code = ?", (course_code,))
    return {"student_id": student_id, "course": course_code, "status": "dropped"}
'''

_CODE = {"type": "string", "description": "Course code, e.g. 'CS 201'."}
TOOLS_V1_SPECS = (
    spec(
        "search_courses",
        "List courses (code, title, dept, credits, days 'MWF'/'TR', start, end, seats_left), "
        "optionally filtered by department code and by meeting pattern.",
        {"dept": {"type": "string"}, "days": {"type": "string", "enum": ["MWF", "TR"]}},
    ),
    spec(
        "get_course",
        "One course: schedule (days, start, end), room, credits, capacity, enrolled, "
        "seats_left and prerequisites (codes that must all be completed first).",
        {"code": _CODE},
        ["code"],
    ),
    spec(
        "find_student",
        "A student by exact full name: id, program, year, max_credits per term, completed "
        "course codes and currently enrolled course codes.",
        {"name": {"type": "string", "minLength": 1}},
        ["name"],
    ),
    spec(
        "enroll",
        "Enrol a student in a course that has a free seat. Does not check prerequisites, "
        "time clashes or credit limits.",
        {"student_id": {"type": "integer"}, "course_code": _CODE},
        ["student_id", "course_code"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    spec(
        "drop_course",
        "Drop a student's active enrolment in a course, freeing the seat.",
        {"student_id": {"type": "integer"}, "course_code": _CODE},
        ["student_id", "course_code"],
        mutates=True,
    ),
)

_CLASH = """
def _mins(t):
    return int(t[:2]) * 60 + int(t[3:])


def _clash(a, b):
    # two meetings clash when they share a weekday letter (M T W R F) and their times overlap
    if not set(a["days"]) & set(b["days"]):
        return False
    return _mins(a["start"]) < _mins(b["end"]) and _mins(b["start"]) < _mins(a["end"])
"""

S_PRELUDE = (
    _CLASH
    + """

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
"""
)

V_PRELUDE = (
    _CLASH
    + """

def _student(db, name):
    return db.execute("SELECT * FROM students WHERE name = ?", (name,)).fetchone()


def _active(db, sid):
    return [db.execute("SELECT * FROM courses WHERE code = ?", (r["course"],)).fetchone()
            for r in db.execute("SELECT course FROM enrollments WHERE student_id = ? AND status = 'active'"
                                " ORDER BY id", (sid,))]


def _prereqs_ok(db, sid, code):
    done = {r["course"] for r in db.execute("SELECT course FROM completed WHERE student_id = ?", (sid,))}
    need = {r["requires"] for r in db.execute("SELECT requires FROM prerequisites WHERE course = ?", (code,))}
    return need <= done and code not in done


def _check_schedule(db, st, courses):
    # every course: prerequisites done, within capacity; no two courses clash; credit limit kept
    for i, c in enumerate(courses):
        if not _prereqs_ok(db, st["id"], c["code"]):
            return f"{c['code']}: prerequisites missing or already completed"
        if c["enrolled"] > c["capacity"]:
            return f"{c['code']} is over capacity"
        for d in courses[i + 1:]:
            if _clash(c, d):
                return f"{c['code']} clashes with {d['code']}"
    if sum(c["credits"] for c in courses) > st["max_credits"]:
        return "the student's credit limit is exceeded"
    return ""
"""
)

# ------------------------------------------------------------------ level 1: eligible (read)

L1_SOLVE = """
def solve(tools):
    st = tools.find_student(name={{NAME}})
    taken = set(st["completed"]) | set(st["enrolled"])
    out = []
    for c in tools.search_courses(dept={{DEPT}}):
        if c["code"] not in taken and c["seats_left"] > 0:
            if set(tools.get_course(code=c["code"])["prerequisites"]) <= set(st["completed"]):
                out.append(c["code"])
    return {"courses": sorted(out)}
"""
L1_PERTURBED = L1_SOLVE.replace(' and c["seats_left"] > 0', "")
L1_VERIFY = (
    V_PRELUDE
    + """

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
"""
)

# ------------------------------------------------------------------ level 2: best fit (read)

L2_SOLVE = (
    S_PRELUDE
    + """

def solve(tools):
    st, current = _load(tools, {{NAME}})
    best = max(_eligible(tools, st, {{DEPT}}, current), key=lambda c: c["credits"])
    return {"course": best["code"]}
"""
)
L2_PERTURBED = (
    S_PRELUDE
    + """

def solve(tools):
    # never looks at the student's timetable
    st, current = _load(tools, {{NAME}})
    best = max(_eligible(tools, st, {{DEPT}}, []), key=lambda c: c["credits"])
    return {"course": best["code"]}
"""
)
L2_VERIFY = (
    V_PRELUDE
    + """

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
"""
)

# ------------------------------------------------------------------ level 3: two courses (write)

L3_SOLVE = (
    S_PRELUDE
    + """

def solve(tools):
    st, current = _load(tools, {{NAME}})
    used = sum(c["credits"] for c in current)
    pairs = [(a, b) for a in _eligible(tools, st, {{DEPTS}}[0], current)
             for b in _eligible(tools, st, {{DEPTS}}[1], current) if not _clash(a, b)]
    a, b = min(pairs, key=lambda p: p[0]["credits"] + p[1]["credits"])
    if used + a["credits"] + b["credits"] > st["max_credits"]:
        return {"courses": []}
    for c in (a, b):
        tools.enroll(student_id=st["id"], course_code=c["code"])
    return {"courses": [a["code"], b["code"]]}
"""
)
L3_PERTURBED = L3_SOLVE.replace("min(pairs,", "max(pairs,").replace(
    """    if used + a["credits"] + b["credits"] > st["max_credits"]:
        return {"courses": []}
""",
    "    # forgets the credit limit\n",
)
L3_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("courses"), list):
        return False, "answer must be an object with a list 'courses'"
    st = _student(db, {{NAME}})
    courses = _active(db, st["id"])
    new = [c for c in courses if c["code"] not in {{BEFORE}}]
    if sorted(c["code"] for c in new) != sorted(answer["courses"]) or len(new) != 2:
        return False, "exactly the two answered courses must be newly enrolled"
    if sorted(c["dept"] for c in new) != sorted({{DEPTS}}):
        return False, "one course from each requested department is required"
    if len(courses) != len({{BEFORE}}) + 2:
        return False, "existing enrolments must be kept"
    problem = _check_schedule(db, st, courses)
    return (False, problem) if problem else (True, "valid two-course enrolment")
"""
)

# ------------------------------------------------------------------ level 4: three depts, range

_S_TRIPLES = (
    S_PRELUDE
    + """

def _triples(tools, st, current):
    lists = [_eligible(tools, st, d, current) for d in {{DEPTS}}]
    out = []
    for a in lists[0]:
        for b in lists[1]:
            if _clash(a, b):
                continue
            for c in lists[2]:
                if not _clash(a, c) and not _clash(b, c):
                    out.append((a, b, c))
    return out
"""
)
L4_SOLVE = (
    _S_TRIPLES
    + """

def solve(tools):
    st, current = _load(tools, {{NAME}})
    used = sum(c["credits"] for c in current)
    for trio in _triples(tools, st, current):
        if {{LO}} <= used + sum(c["credits"] for c in trio) <= {{HI}}:
            for c in trio:
                tools.enroll(student_id=st["id"], course_code=c["code"])
            return {"courses": [c["code"] for c in trio]}
    return {"courses": []}
"""
)
L4_PERTURBED = (
    _S_TRIPLES
    + """

def solve(tools):
    # applies the credit window to the new courses only, forgetting current enrolments
    st, current = _load(tools, {{NAME}})
    trios = _triples(tools, st, current)
    fit = [t for t in trios if {{LO}} <= sum(c["credits"] for c in t) <= {{HI}}]
    trio = max(fit or trios, key=lambda t: sum(c["credits"] for c in t))
    for c in trio:
        tools.enroll(student_id=st["id"], course_code=c["code"])
    return {"courses": [c["code"] for c in trio]}
"""
)
L4_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("courses"), list):
        return False, "answer must be an object with a list 'courses'"
    st = _student(db, {{NAME}})
    courses = _active(db, st["id"])
    new = [c for c in courses if c["code"] not in {{BEFORE}}]
    if sorted(c["code"] for c in new) != sorted(answer["courses"]) or len(new) != 3:
        return False, "exactly the three answered courses must be newly enrolled"
    if sorted(c["dept"] for c in new) != sorted({{DEPTS}}):
        return False, "one course from each requested department is required"
    if len(courses) != len({{BEFORE}}) + 3:
        return False, "existing enrolments must be kept"
    total = sum(c["credits"] for c in courses)
    if not {{LO}} <= total <= {{HI}}:
        return False, f"total credits {total} are outside the requested window"
    problem = _check_schedule(db, st, courses)
    return (False, problem) if problem else (True, f"valid schedule with {total} credits")
"""
)

# ------------------------------------------------------------------ level 5: swap (toolset v2)

_S_SWAP = (
    S_PRELUDE
    + """

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
"""
)
L5_SOLVE = (
    _S_SWAP
    + """

def solve(tools):
    return _swap(tools, True)
"""
)
L5_PERTURBED = (
    _S_SWAP
    + """

def solve(tools):
    # enrols in the required course but leaves the clashing course in place
    return _swap(tools, False)
"""
)
L5_VERIFY = (
    V_PRELUDE
    + """

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
"""
)
