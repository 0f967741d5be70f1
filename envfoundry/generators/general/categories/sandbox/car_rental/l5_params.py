"""Level 5 (toolset v2): keep three rentals longer, each extended in place or rebooked in its
class (level 2's cheapest-in-class reservation, per rental, behind an availability check)."""

NAME: str = "Ann Example"
OLD_IDS: list[int] = [1, 2, 3]
OLD_ENDS: list[str] = ["2025-05-25", "2025-05-27", "2025-05-29"]
NEW_ENDS: list[str] = ["2025-05-28", "2025-05-30", "2025-06-01"]
EXTRA: int = 3
