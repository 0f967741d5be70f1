"""Level 2: the cheapest section with enough seats among a city's events of a category."""

CITY: str = "Springfield"
CATEGORY: str = "concert"
DATES: tuple[str, str] = ("2025-05-03", "2025-05-10")  # first and last day
QTY: int = 4
