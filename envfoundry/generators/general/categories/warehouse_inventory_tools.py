"""Tool specs of the warehouse_inventory category; the tools are ``sandbox/warehouse_inventory/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import tool

_WID = {"type": "integer", "description": "Warehouse id."}
TOOLS_V1_SPECS = (
    tool("list_warehouses", "All warehouses: id, code, city, country."),
    tool(
        "list_skus",
        "Products: sku, name, category, unit_weight_kg; optionally only one category.",
        {"category": {"type": "string"}},
    ),
    tool(
        "get_stock",
        "Stock rows (warehouse_id, code, sku, qty, reorder_point) filtered by sku and/or "
        "warehouse; at least one filter is required.",
        {"sku": {"type": "string"}, "warehouse_id": _WID},
    ),
    tool(
        "list_lanes",
        "Inbound transport lanes of a warehouse: from_id, mode, distance_km, cost_per_unit "
        "and lead_days.",
        {"to_warehouse_id": _WID},
        ["to_warehouse_id"],
    ),
    tool(
        "create_transfer",
        "Move qty units of a sku from one warehouse to another over their lane; costs "
        "qty x cost_per_unit. Fails when the source holds fewer than qty units; reorder points "
        "are not enforced.",
        {
            "sku": {"type": "string"},
            "from_warehouse_id": _WID,
            "to_warehouse_id": _WID,
            "qty": {"type": "integer", "minimum": 1},
        },
        ["sku", "from_warehouse_id", "to_warehouse_id", "qty"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "get_demand_forecast",
        "Next week's forecast demand per warehouse for a sku (warehouse_id, sku, week_start, "
        "qty); optionally for one warehouse.",
        {"sku": {"type": "string"}, "warehouse_id": _WID},
        ["sku"],
    ),
)
