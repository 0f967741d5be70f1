"""Level 1: the available listings of a city under a rent with enough bedrooms, pets allowed."""

CITY: str = "Springfield"
MAX_RENT: int = 1500
MIN_BED: int = 2
