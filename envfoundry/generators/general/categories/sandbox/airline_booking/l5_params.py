"""Level 5: the cheapest two-leg economy connection with a layover window."""

NAME: str = "Ann Example"
ORIGIN: str = "Springfield"
DEST: str = "Capital City"
DATE: str = "2025-05-04"
LAYOVER: tuple[int, int] = (60, 360)  # the shortest and longest layover, in minutes
