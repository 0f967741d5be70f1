"""Level 3: transfer from the cheapest source that keeps its reorder point, within a lead time."""

MAX_LEAD: int = 3
