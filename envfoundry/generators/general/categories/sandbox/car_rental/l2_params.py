"""Level 2: reserve the cheapest free automatic SUV at a branch."""

NAME: str = "Ann Example"
BRANCH: int = 1
START: str = "2025-05-06"
END: str = "2025-05-10"
