"""Level 4: return the loans due within 3 days, then borrow a reading list by priority."""

NAME: str = "Ann Example"
TITLES: list[str] = ["Emma", "Persuasion"]
DUE_SOON: list[int] = [1]
FINES0: float = 0.5
LIMIT: int = 5
ACTIVE0: int = 4
TITLES_AVAIL: dict[str, list[int]] = {"Emma": [1], "Persuasion": []}
HOME: int = 1
