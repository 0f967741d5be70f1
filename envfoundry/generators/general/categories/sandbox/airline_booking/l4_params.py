"""Level 5 (toolset v2): move both bookings of a round trip one day later, in place."""

NAME: str = "Ann Example"
IDS: list[int] = [1, 2]
LEGS: list[list] = [["AAA", "BBB", "2025-05-04", False], ["BBB", "AAA", "2025-05-06", True]]
HOME: str = "AAA"
