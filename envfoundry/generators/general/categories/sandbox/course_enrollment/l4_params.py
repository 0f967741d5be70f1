"""Level 4: one course from each of three departments, total credits inside a window."""

NAME: str = "Ann Example"
DEPTS: list[str] = ["CS", "MATH", "PHYS"]
LO: int = 12
HI: int = 15
BEFORE: list[str] = []
