"""Level 2: the cheapest listing with enough bedrooms near a metro station."""

CITY: str = "Springfield"
MIN_BED: int = 2
RADIUS: float = 0.8
