"""Level 2: one product of each category, the best total rating within a budget."""

NAME: str = "Ann Example"
CATEGORIES: list[str] = ["Books", "Toys"]
MIN_RATING: float = 4.0
BUDGET: float = 120.0
