"""Level 5: three events on different dates, venues and categories, within a budget."""

NAME: str = "Ann Example"
CITY: str = "Springfield"
DATES: tuple[str, str] = ("2025-05-10", "2025-05-12")  # first and last day
QTY: int = 2
BUDGET: int = 900
