"""Level 5 (toolset v2): hold the listing of the brief with the shortest commute."""

CLIENT: str = "Ann Example"
MAX_MINUTES: int = 35
