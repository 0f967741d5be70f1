"""Level 1: the cheapest free car with enough seats in a city."""

CITY: str = "Springfield"
SEATS: int = 7
START: str = "2025-05-04"
END: str = "2025-05-07"
