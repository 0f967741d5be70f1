"""Level 5 (toolset v2): three vegan dinners on three evenings, three cuisines, within a budget."""

CITY: str = "Springfield"
MIN_RATING: float = 4.0
DATES: list[str] = ["2025-05-03", "2025-05-04", "2025-05-05"]
TIMES: list[str] = ["19:00", "20:00"]
SIZE: int = 2
PARTY: str = "Ann Example"
BUDGET: float = 600.0
