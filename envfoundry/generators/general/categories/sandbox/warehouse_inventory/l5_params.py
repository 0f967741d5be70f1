"""Level 5 (toolset v2): cover every warehouse's forecast demand from the others."""

SKU: str = "SKU-001"
BUDGET: float = 500.0
