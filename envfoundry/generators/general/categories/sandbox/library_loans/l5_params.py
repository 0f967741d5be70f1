"""Level 5 (toolset v2): renew the loans due within 5 days that can be renewed, return the
rest, then borrow a reading list by priority with the card slots that leaves (level 4's
reading list on top of the renewal decisions)."""

NAME: str = "Ann Example"
RENEW: list[int] = [1]
RETURN: list[int] = [2, 3]
BEFORE: dict[int, list] = {1: ["2025-05-03", 0]}
FINES0: float = 0.0
TITLES: list[str] = ["Emma", "Persuasion"]
TITLES_AVAIL: dict[str, list[int]] = {"Emma": [1], "Persuasion": []}
LIMIT: int = 5
HOME: int = 1
