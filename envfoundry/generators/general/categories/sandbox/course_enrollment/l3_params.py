"""Level 3: enrol in one course of each of two departments, within the credit limit."""

NAME: str = "Ann Example"
DEPTS: list[str] = ["CS", "MATH"]
BEFORE: list[str] = []
