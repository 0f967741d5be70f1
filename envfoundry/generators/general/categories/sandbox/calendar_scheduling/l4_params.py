"""Level 4: a meeting and its follow-up on a later day, both avoiding local lunch hours."""

NAMES1: list[str] = ["Ann Example", "Bo Example", "Cy Example"]
NAMES2: list[str] = ["Ann Example", "Di Example", "Ed Example"]
DURATION1: int = 60
DURATION2: int = 30
TITLE1: str = "Launch review"
TITLE2: str = "Launch follow-up"
BEFORE: list[int] = []
