"""The trip's parameters, the same set at every level (the builder gives them all)."""

HOME: str = "Springfield"
N_DAYS: int = 1
FIXED: list[str] | None = None
DATES: list[str] | None = None
MIN_PRICE: int = 0
MIN_RATING: float = 0.0
MIN_LUX: int = 0
OBJECTIVE: str = "total"
BUDGET: int = 0
BUDGET_KIND: str = "none"
