"""Tool specs and generated-code templates (tools, solutions, verifiers) of the retail_orders category.

The templates are files under ``sandbox/retail_orders/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import (
    INT,
    NUM,
    STR,
    obj,
    sandbox_reader,
    tool,
)

_text = sandbox_reader("retail_orders")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

TOOLS_V1_SPECS = (
    tool(
        "search_products",
        "Search the catalog; every filter is optional. Returns sku, name, brand, category, "
        "price, rating, stock and status.",
        {"category": STR, "query": {**STR, "description": "Name fragment."}, "max_price": NUM},
    ),
    tool("get_product", "One product by sku.", {"sku": STR}, ["sku"]),
    tool("find_customer", "Find a customer by full name.", {"name": STR}, ["name"]),
    tool(
        "list_orders",
        "A customer's orders (id, order_date, delivered_date, status, total) and today's date.",
        {"customer_id": INT},
        ["customer_id"],
    ),
    tool("get_order", "One order with its items and returns.", {"order_id": INT}, ["order_id"]),
    tool(
        "place_order",
        "Place an order of active, in-stock products for a customer (gold members pay 10% "
        "less); stock is decremented.",
        {
            "customer_id": INT,
            "items": {
                "type": "array",
                "minItems": 1,
                "items": obj({"sku": STR, "quantity": {"type": "integer", "minimum": 1}}),
            },
        },
        ["customer_id", "items"],
        mutates=True,
    ),
    tool(
        "request_return",
        "Return a quantity of one item of a delivered order, within 30 days of delivery; the "
        "item is refunded and restocked.",
        {"order_id": INT, "sku": STR, "quantity": {"type": "integer", "minimum": 1}, "reason": STR},
        ["order_id", "sku", "quantity", "reason"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "cancel_order",
        "Cancel a 'processing' order; its items are restocked and the total refunded.",
        {"order_id": INT},
        ["order_id"],
        mutates=True,
    ),
)

L1_SOLVE = _text("l1_solve.py")
L1_PERTURBED = _text("l1_perturbed.py")
L1_VERIFY = _text("l1_verify.py")

# Stock must equal the initial stock adjusted by the episode's orders, returns and cancellations.
V_STOCK = _text("v_stock.py")

L2_SOLVE = _text("l2_solve.py")
L2_PERTURBED = _text("l2_perturbed.py")
L2_VERIFY = V_STOCK + _text("l2_verify.py")

L3_SOLVE = _text("l3_solve.py")
# returns every item of the eligible orders, not only the asked category
L3_PERTURBED = _text("l3_perturbed.py")
L3_VERIFY = V_STOCK + _text("l3_verify.py")

L4_SOLVE = _text("l4_solve.py")
L4_PERTURBED = _text("l4_perturbed.py")
L4_VERIFY = V_STOCK + _text("l4_verify.py")

L5_SOLVE = _text("l5_solve.py")
# replaces discontinued products with the cheapest of the category, whatever its rating
L5_PERTURBED = _text("l5_perturbed.py")
L5_VERIFY = V_STOCK + _text("l5_verify.py")
