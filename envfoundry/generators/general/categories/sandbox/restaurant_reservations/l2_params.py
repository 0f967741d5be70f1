"""Level 2: level 1's restaurants that have a free table for a party at a date and time."""

CITY: str = "Springfield"
MIN_RATING: float = 4.0
DATE: str = "2025-05-03"
TIME: str = "19:00"
SIZE: int = 4
