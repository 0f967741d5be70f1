"""Tool specs and generated-code templates (tools, solutions, verifiers) of the event_ticketing category.

The templates are files under ``sandbox/event_ticketing/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, STR, sandbox_reader, tool

_text = sandbox_reader("event_ticketing")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

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

S_CHEAPEST = _text("s_cheapest.py")

L1_SOLVE = S_CHEAPEST + _text("l1_solve.py")
L1_PERTURBED = S_CHEAPEST + _text("l1_perturbed.py")
L1_VERIFY = _text("l1_verify.py")

V_SEATS = _text("v_seats.py")

L2_SOLVE = S_CHEAPEST + _text("l2_solve.py")
L2_PERTURBED = S_CHEAPEST + _text("l2_perturbed.py")
L2_VERIFY = V_SEATS + _text("l2_verify.py")

L3_SOLVE = _text("l3_solve.py")
L3_PERTURBED = _text("l3_perturbed.py")
L3_VERIFY = V_SEATS + _text("l3_verify.py")

L4_SOLVE = S_CHEAPEST + _text("l4_solve.py")
L4_PERTURBED = S_CHEAPEST + _text("l4_perturbed.py")
L4_VERIFY = V_SEATS + _text("l4_verify.py")

L5_SOLVE = _text("l5_solve.py")
# handles every active order, whatever its date
L5_PERTURBED = _text("l5_perturbed.py")
L5_VERIFY = V_SEATS + _text("l5_verify.py")
