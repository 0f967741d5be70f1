"""Level 4: return a category's items delivered in the last 30 days, re-order the active ones."""

NAME: str = "Ann Example"
CATEGORY: str = "Books"
TODAY: str = "2025-05-01"
