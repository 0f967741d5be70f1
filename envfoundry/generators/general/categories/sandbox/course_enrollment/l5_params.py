"""Level 5 (toolset v2): take a required course, dropping what clashes with it, then add the
course with the most credits from three departments (level 4's search on top of the swap)."""

NAME: str = "Ann Example"
REQUIRED: str = "CS 301"
DEPTS: list[str] = ["CS", "MATH", "PHYS"]
BEST: int = 4
REQUIRED_ENROLLED: int = 10
KEEP: list[str] = []
DROP: dict[str, int] = {}
