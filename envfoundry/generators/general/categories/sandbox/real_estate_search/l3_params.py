"""Level 3: hold the largest listing of the brief near both a school and a park."""

CLIENT: str = "Ann Example"
RADIUS: float = 1.0
