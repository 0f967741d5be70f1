"""Tool specs and generated-code templates (tools, solutions, verifiers) of the course_enrollment category.

The templates are files under ``sandbox/course_enrollment/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec
from envfoundry.generators.general.categories._procedural_kit import sandbox_reader

_text = sandbox_reader("course_enrollment")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

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

_CLASH = _text("clash.py")

S_PRELUDE = _CLASH + _text("s_prelude.py")

V_PRELUDE = _CLASH + _text("v_prelude.py")

# ------------------------------------------------------------------ level 1: eligible (read)

L1_SOLVE = _text("l1_solve.py")
L1_PERTURBED = _text("l1_perturbed.py")
L1_VERIFY = V_PRELUDE + _text("l1_verify.py")

# ------------------------------------------------------------------ level 2: best fit (read)

L2_SOLVE = S_PRELUDE + _text("l2_solve.py")
L2_PERTURBED = S_PRELUDE + _text("l2_perturbed.py")
L2_VERIFY = V_PRELUDE + _text("l2_verify.py")

# ------------------------------------------------------------------ level 3: two courses (write)

L3_SOLVE = S_PRELUDE + _text("l3_solve.py")
L3_PERTURBED = S_PRELUDE + _text("l3_perturbed.py")
L3_VERIFY = V_PRELUDE + _text("l3_verify.py")

# ------------------------------------------------------------------ level 4: three depts, range

_S_TRIPLES = S_PRELUDE + _text("s_triples.py")
L4_SOLVE = _S_TRIPLES + _text("l4_solve.py")
L4_PERTURBED = _S_TRIPLES + _text("l4_perturbed.py")
L4_VERIFY = V_PRELUDE + _text("l4_verify.py")

# ------------------------------------------------------------------ level 5: swap (toolset v2)

_S_SWAP = S_PRELUDE + _text("s_swap.py")
L5_SOLVE = _S_SWAP + _text("l5_solve.py")
L5_PERTURBED = _S_SWAP + _text("l5_perturbed.py")
L5_VERIFY = V_PRELUDE + _text("l5_verify.py")
