"""Level 2: the fitting course of a department with the most credits."""

NAME: str = "Ann Example"
DEPT: str = "CS"
