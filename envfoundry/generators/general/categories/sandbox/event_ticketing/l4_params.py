"""Level 4: three events on different dates, venues and categories, within a budget."""

NAME: str = "Ann Example"
CITY: str = "Springfield"
D1: str = "2025-05-10"
D2: str = "2025-05-12"
QTY: int = 2
BUDGET: int = 900
