"""Levels 2 and 3: one sku, a destination and a quantity to bring there."""

SKU: str = "SKU-001"
DEST: str = "WH-A"
QTY: int = 40
