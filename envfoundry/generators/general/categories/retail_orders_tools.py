"""Tool specs of the retail_orders category; the tools are ``sandbox/retail_orders/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import INT, NUM, STR, obj, tool

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
