"""Level 2: a vegetarian-friendly restaurant of two cuisines, preferred time else fallback."""

CITY: str = "Springfield"
CUISINES: list[str] = ["Italian", "Thai"]
MIN_RATING: float = 4.0
DATE: str = "2025-05-03"
PREFERRED: str = "19:00"
FALLBACK: str = "21:00"
SIZE: int = 4
PARTY: str = "Ann Example"
