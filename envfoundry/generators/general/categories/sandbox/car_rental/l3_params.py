"""Level 3: reserve by fuel preference (electric, else hybrid, else any), then price."""

NAME: str = "Ann Example"
BRANCH: int = 1
START: str = "2025-05-08"
END: str = "2025-05-11"
SEATS: int = 5
FUELS: list[str | None] = ["electric", "hybrid", None]
