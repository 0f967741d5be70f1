"""Level 4 (toolset v2): move two travellers' round trip one day later, in place, together."""

NAME: str = "Ann Example"
COMPANION: str = "Bob Example"
IDS: list[int] = [1, 2]
COMPANION_IDS: list[int] = [3, 4]
LEGS: list[list] = [["AAA", "BBB", "2025-05-04", False], ["BBB", "AAA", "2025-05-06", True]]
HOME: str = "AAA"
