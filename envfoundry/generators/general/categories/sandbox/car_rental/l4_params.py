"""Level 4: two cities, cars of the same class, within a budget."""

NAME: str = "Ann Example"
LEGS: list[list[str]] = [["Springfield", "2025-05-11", "2025-05-14"]]
SEATS: int = 5
DAYS: list[int] = [3, 4]
BUDGET: int = 600
