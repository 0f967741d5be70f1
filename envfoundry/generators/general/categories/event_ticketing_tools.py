"""Tool specs of the event_ticketing category; the tools are ``sandbox/event_ticketing/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import INT, STR, tool

TOOLS_V1_SPECS = (
    tool(
        "search_events",
        "Events in a city; optional category ('concert', 'theatre', 'sports', 'comedy') and "
        "date range (inclusive, YYYY-MM-DD).",
        {"city": STR, "category": STR, "date_from": STR, "date_to": STR},
        ["city"],
    ),
    tool(
        "get_event",
        "One event with venue and sections (name, price, seats_left).",
        {"event_id": INT},
        ["event_id"],
    ),
    tool("find_customer", "Find a customer by full name.", {"name": STR}, ["name"]),
    tool("list_orders", "A customer's ticket orders.", {"customer_id": INT}, ["customer_id"]),
    tool(
        "purchase_tickets",
        "Buy 1-8 tickets in one section of an upcoming event (max 8 per customer and event).",
        {
            "customer_id": INT,
            "event_id": INT,
            "section": STR,
            "quantity": {"type": "integer", "minimum": 1, "maximum": 8},
        },
        ["customer_id", "event_id", "section", "quantity"],
        mutates=True,
    ),
    tool(
        "refund_order",
        "Refund an active order of a refundable upcoming event.",
        {"order_id": INT},
        ["order_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "transfer_order",
        "Transfer an active order's tickets to another customer; the order keeps its id.",
        {"order_id": INT, "to_customer_id": INT},
        ["order_id", "to_customer_id"],
        mutates=True,
    ),
)
