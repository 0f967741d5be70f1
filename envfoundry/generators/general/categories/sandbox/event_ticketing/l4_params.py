"""Level 4 (toolset v2): refund or hand over every order of one day (to a second friend
for events the first friend already holds tickets for)."""

NAME: str = "Ann Example"
FRIEND: str = "Bo Example"
FRIEND2: str = "Cy Example"
DATE: str = "2025-05-20"
REFUND: list[int] = [1]
TRANSFER: list[int] = [2]
KEEP: list[int] = [3]
