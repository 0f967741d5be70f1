"""Level 2: book the earliest business seat under a fare cap."""

NAME: str = "Ann Example"
ORIGIN: str = "Springfield"
DEST: str = "Shelbyville"
DATE: str = "2025-05-04"
CAP: int = 900
