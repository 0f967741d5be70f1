"""Level 2: borrow a book, at the home branch when it has a copy."""

NAME: str = "Ann Example"
TITLE: str = "Emma"
HOME_FREE: bool = True
