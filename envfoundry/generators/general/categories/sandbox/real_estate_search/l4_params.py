"""Level 4: a listing near a metro for each of three clients, three neighborhoods, one budget."""

CLIENTS: list[str] = ["Ann Example", "Bo Example", "Cy Example"]
RADIUS: float = 0.8
BUDGET: int = 4500
