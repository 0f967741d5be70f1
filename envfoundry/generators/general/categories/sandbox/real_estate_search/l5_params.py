"""Level 5 (toolset v2): hold, for each of three clients, the listing of their brief with the
shortest commute to their own workplace."""

CLIENTS: list[str] = ["Ann Example", "Bo Example", "Cy Example"]
MAX_MINUTES: int = 35
