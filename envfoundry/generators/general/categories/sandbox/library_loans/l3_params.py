"""Level 3: return the overdue loans, then borrow a book at the home branch."""

NAME: str = "Ann Example"
TITLE: str = "Emma"
OVERDUE: list[int] = [1, 2]
FINES0: float = 1.5
