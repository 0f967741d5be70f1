"""Level 1: the cheapest section with enough seats among a city's events of a category."""

CITY: str = "Springfield"
CATEGORY: str = "concert"
D1: str = "2025-05-03"
D2: str = "2025-05-10"
QTY: int = 4
