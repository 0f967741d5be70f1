"""Level 4: restock two skus at a warehouse to their targets within a budget."""

SKUS: list[str] = ["SKU-001", "SKU-002"]
DEST: str = "WH-A"
TARGETS: dict[str, int] = {"SKU-001": 100, "SKU-002": 80}
BUDGET: float = 500.0
