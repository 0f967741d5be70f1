"""Level 4 (toolset v2): the best-rated gluten-free restaurant with a free table for the party."""

CITY: str = "Springfield"
DATE: str = "2025-05-03"
TIME: str = "19:00"
SIZE: int = 4
