"""Level 3: the customer's orders holding a product of a category."""

NAME: str = "Ann Example"
CATEGORY: str = "Books"
