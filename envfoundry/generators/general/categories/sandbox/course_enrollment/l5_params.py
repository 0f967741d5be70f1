"""Level 5 (toolset v2): take a required course, dropping what clashes with it."""

NAME: str = "Ann Example"
REQUIRED: str = "CS 301"
MIN_CREDITS: int = 12
REQUIRED_ENROLLED: int = 10
KEEP: list[str] = []
DROP: dict[str, int] = {}
