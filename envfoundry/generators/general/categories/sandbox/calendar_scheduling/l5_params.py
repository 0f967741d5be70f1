"""Level 5 (toolset v2): cancel a meeting and its follow-up, book the meeting again on a later
day, then the follow-up on a day after that (level 4's meeting and follow-up, rescheduled)."""

NAMES: list[str] = ["Ann Example", "Bo Example", "Cy Example"]
TITLE: str = "Quarterly planning"
OLD_ID: int = 1
NAMES2: list[str] = ["Ann Example", "Di Example", "Ed Example"]
TITLE2: str = "Planning follow-up"
OLD_ID2: int = 2
BEFORE: list[int] = [1, 2]
