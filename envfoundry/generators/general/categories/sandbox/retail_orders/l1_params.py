"""Level 1: order the cheapest well-rated product of a category."""

NAME: str = "Ann Example"
CATEGORY: str = "Books"
QTY: int = 2
MIN_RATING: float = 4.0
