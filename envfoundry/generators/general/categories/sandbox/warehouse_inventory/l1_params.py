"""Level 1: the warehouses whose stock of a sku is below the reorder point."""

SKU: str = "SKU-001"
