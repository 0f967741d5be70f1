"""Level 2: the earliest common slot of three people in the work week."""

NAMES: list[str] = ["Ann Example", "Bo Example", "Cy Example"]
DURATION: int = 60
