"""Level 5 (toolset v2): cancel a meeting and book it again on a later day."""

NAMES: list[str] = ["Ann Example", "Bo Example", "Cy Example"]
TITLE: str = "Quarterly planning"
OLD_ID: int = 1
BEFORE: list[int] = [1]
