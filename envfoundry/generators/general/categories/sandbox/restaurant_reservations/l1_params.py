"""Level 1: the vegan restaurants of a city rated at least a minimum."""

CITY: str = "Springfield"
MIN_RATING: float = 4.0
