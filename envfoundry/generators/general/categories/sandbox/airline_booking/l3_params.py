"""Level 3: rebook a passenger whose flight the airline cancelled."""

NAME: str = "Ann Example"
OLD_ID: int = 1
DATES: list[str] = ["2025-05-05", "2025-05-06"]
