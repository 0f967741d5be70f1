"""Level 3: return every item of a category delivered in the last 30 days."""

NAME: str = "Ann Example"
CATEGORY: str = "Books"
TODAY: str = "2025-05-01"
