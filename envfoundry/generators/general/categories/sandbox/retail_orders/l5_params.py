"""Level 5 (toolset v2): cancel the orders with discontinued products and re-order."""

NAME: str = "Ann Example"
AFFECTED: list[int] = [1, 2]
