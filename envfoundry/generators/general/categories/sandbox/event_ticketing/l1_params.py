"""Level 1: buy in the preferred section, else the closest in price that has the seats."""

NAME: str = "Ann Example"
EVENT: int = 1
SECTION: str = "Floor"
QTY: int = 3
