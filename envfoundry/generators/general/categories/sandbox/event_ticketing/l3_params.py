"""Level 3: buy at the earliest matching event not held yet, cheapest section under a cap."""

NAME: str = "Ann Example"
CITY: str = "Springfield"
CATEGORY: str = "concert"
D1: str = "2025-05-03"
QTY: int = 2
CAP: int = 90
