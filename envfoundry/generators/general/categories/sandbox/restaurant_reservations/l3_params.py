"""Level 3: on each of two evenings, book the best-rated of level 1's restaurants that has
a free table for the party at the time (level 2's check), at its smallest such table."""

CITY: str = "Springfield"
MIN_RATING: float = 4.0
DATES: list[str] = ["2025-05-03", "2025-05-04"]
TIME: str = "19:00"
SIZE: int = 4
PARTY: str = "Ann Example"
