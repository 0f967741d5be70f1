from .l1_params import SKU


def _below(tools, or_at):
    """The codes of the warehouses below (or, with ``or_at``, at) their reorder point."""
    rows = tools.get_stock(sku=SKU)
    low = [
        r
        for r in rows
        if r["qty"] < r["reorder_point"] or (or_at and r["qty"] == r["reorder_point"])
    ]
    return {"warehouses": sorted(r["code"] for r in low)}
