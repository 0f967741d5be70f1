"""Level 3 (toolset v2): move a reservation to a free time nearby, else a similar restaurant."""

PARTY: str = "Ann Example"
SIZE: int = 4
OLD_ID: int = 1
