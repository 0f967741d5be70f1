"""Level 3: book the earliest slot with a free video room for four people."""

NAMES: list[str] = ["Ann Example", "Bo Example", "Cy Example", "Di Example"]
DURATION: int = 60
TITLE: str = "Architecture sync"
BEFORE: list[int] = []
