"""Level 5 (toolset v2): refund or hand over every order of one day."""

NAME: str = "Ann Example"
FRIEND: str = "Bo Example"
DATE: str = "2025-05-20"
REFUND: list[int] = [1]
TRANSFER: list[int] = [2]
KEEP: list[int] = [3]
