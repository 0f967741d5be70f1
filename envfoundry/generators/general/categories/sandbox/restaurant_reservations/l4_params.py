"""Level 4 (toolset v2): level 3 on three evenings at the time of a reservation the party
holds on the first (found by name), which is cancelled."""

CITY: str = "Springfield"
MIN_RATING: float = 4.0
DATES: list[str] = ["2025-05-03", "2025-05-04", "2025-05-05"]
SIZE: int = 4
PARTY: str = "Ann Example"
OLD_ID: int = 1
