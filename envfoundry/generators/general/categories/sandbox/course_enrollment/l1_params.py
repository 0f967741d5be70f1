"""Level 1: the open courses of a department the student may take."""

NAME: str = "Ann Example"
DEPT: str = "CS"
