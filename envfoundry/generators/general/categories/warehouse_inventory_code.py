"""Tool specs and generated-code templates (tools, solutions, verifiers) of the warehouse_inventory category.

The templates are files under ``sandbox/warehouse_inventory/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec
from envfoundry.generators.general.categories._procedural_kit import sandbox_reader

_text = sandbox_reader("warehouse_inventory")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

_WID = {"type": "integer", "description": "Warehouse id."}
TOOLS_V1_SPECS = (
    spec("list_warehouses", "All warehouses: id, code, city, country."),
    spec(
        "list_skus",
        "Products: sku, name, category, unit_weight_kg; optionally only one category.",
        {"category": {"type": "string"}},
    ),
    spec(
        "get_stock",
        "Stock rows (warehouse_id, code, sku, qty, reorder_point) filtered by sku and/or "
        "warehouse; at least one filter is required.",
        {"sku": {"type": "string"}, "warehouse_id": _WID},
    ),
    spec(
        "list_lanes",
        "Inbound transport lanes of a warehouse: from_id, mode, distance_km, cost_per_unit "
        "and lead_days.",
        {"to_warehouse_id": _WID},
        ["to_warehouse_id"],
    ),
    spec(
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
    spec(
        "get_demand_forecast",
        "Next week's forecast demand per warehouse for a sku (warehouse_id, sku, week_start, "
        "qty); optionally for one warehouse.",
        {"sku": {"type": "string"}, "warehouse_id": _WID},
        ["sku"],
    ),
)

V_PRELUDE = _text("v_prelude.py")

_S_COMMON = _text("s_common.py")

# ------------------------------------------------------------------ level 1: below reorder (read)

L1_SOLVE = _text("l1_solve.py")
L1_PERTURBED = _text("l1_perturbed.py")
L1_VERIFY = _text("l1_verify.py")

# ------------------------------------------------------------------ level 2: cheapest source (read)

_S_SOURCE = _S_COMMON + _text("s_source.py")
L2_SOLVE = _S_SOURCE + _text("l2_solve.py")
L2_PERTURBED = _S_SOURCE + _text("l2_perturbed.py")
L2_VERIFY = V_PRELUDE + _text("l2_verify.py")

# ------------------------------------------------------------------ level 3: transfer (write)

L3_SOLVE = _S_SOURCE + _text("l3_solve.py")
L3_PERTURBED = _S_SOURCE + _text("l3_perturbed.py")
L3_VERIFY = V_PRELUDE + _text("l3_verify.py")

# ------------------------------------------------------------------ level 4: restock two skus

L4_SOLVE = _S_COMMON + _text("l4_solve.py")
L4_PERTURBED = _S_COMMON + _text("l4_perturbed.py")
L4_VERIFY = V_PRELUDE + _text("l4_verify.py")

# ------------------------------------------------------------------ level 5: forecast (toolset v2)

_S_FORECAST = _S_COMMON + _text("s_forecast.py")
L5_SOLVE = _S_FORECAST + _text("l5_solve.py")
L5_PERTURBED = _S_FORECAST + _text("l5_perturbed.py")
L5_VERIFY = V_PRELUDE + _text("l5_verify.py")
