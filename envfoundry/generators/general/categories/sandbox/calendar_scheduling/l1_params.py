"""Level 1: the earliest common 30-minute slot of two people on one UTC day."""

NAMES: list[str] = ["Ann Example", "Bo Example"]
DAY: int = 0
