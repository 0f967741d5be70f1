"""Level 2: buy at the earliest matching event, in its cheapest section under a price cap."""

NAME: str = "Ann Example"
CITY: str = "Springfield"
CATEGORY: str = "concert"
D1: str = "2025-05-03"
QTY: int = 2
CAP: int = 90
