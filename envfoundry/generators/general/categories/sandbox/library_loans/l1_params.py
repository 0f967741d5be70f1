"""Level 1: the branches with an available copy of an author's latest book."""

AUTHOR: str = "Jane Austen"
