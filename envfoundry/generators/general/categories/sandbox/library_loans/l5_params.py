"""Level 5 (toolset v2): renew the loans due within 5 days that can be renewed, return the rest."""

NAME: str = "Ann Example"
RENEW: list[int] = [1]
RETURN: list[int] = [2, 3]
BEFORE: dict[int, list] = {1: ["2025-05-03", 0]}
FINES0: float = 0.0
