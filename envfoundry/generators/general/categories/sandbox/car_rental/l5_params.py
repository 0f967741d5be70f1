"""Level 5 (toolset v2): extend the reservation in place, or rebook the same class."""

NAME: str = "Ann Example"
OLD_ID: int = 1
OLD_END: str = "2025-05-25"
NEW_END: str = "2025-05-28"
