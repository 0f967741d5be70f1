"""Tool specs of the course_enrollment category; the tools are ``sandbox/course_enrollment/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import tool

_CODE = {"type": "string", "description": "Course code, e.g. 'CS 201'."}
TOOLS_V1_SPECS = (
    tool(
        "search_courses",
        "List courses (code, title, dept, credits, days 'MWF'/'TR', start, end, seats_left), "
        "optionally filtered by department code and by meeting pattern.",
        {"dept": {"type": "string"}, "days": {"type": "string", "enum": ["MWF", "TR"]}},
    ),
    tool(
        "get_course",
        "One course: schedule (days, start, end), room, credits, capacity, enrolled, "
        "seats_left and prerequisites (codes that must all be completed first).",
        {"code": _CODE},
        ["code"],
    ),
    tool(
        "find_student",
        "A student by exact full name: id, program, year, max_credits per term, completed "
        "course codes and currently enrolled course codes.",
        {"name": {"type": "string", "minLength": 1}},
        ["name"],
    ),
    tool(
        "enroll",
        "Enrol a student in a course that has a free seat. Does not check prerequisites, "
        "time clashes or credit limits.",
        {"student_id": {"type": "integer"}, "course_code": _CODE},
        ["student_id", "course_code"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "drop_course",
        "Drop a student's active enrolment in a course, freeing the seat.",
        {"student_id": {"type": "integer"}, "course_code": _CODE},
        ["student_id", "course_code"],
        mutates=True,
    ),
)
