"""Tool specs and generated-code templates (tools, solutions, verifiers) of the car_rental category.

The templates are files under ``sandbox/car_rental/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, STR, sandbox_reader, tool

_text = sandbox_reader("car_rental")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

_DATES = {
    "start_date": {**STR, "description": "Pick-up date YYYY-MM-DD."},
    "end_date": {**STR, "description": "Return date YYYY-MM-DD."},
}
TOOLS_V1_SPECS = (
    tool("list_branches", "Rental branches, optionally filtered by city.", {"city": STR}),
    tool(
        "search_available_cars",
        "Cars of a branch that are free for the whole period; optional car_class ('economy', "
        "'compact', 'suv', 'minivan', 'van', 'premium', 'luxury') and min_seats filters.",
        {"branch_id": INT, **_DATES, "car_class": STR, "min_seats": INT},
        ["branch_id", "start_date", "end_date"],
    ),
    tool("get_car", "One car by id.", {"car_id": INT}, ["car_id"]),
    tool(
        "find_customer",
        "Find a customer by full name (id, age, licence years).",
        {"name": STR},
        ["name"],
    ),
    tool("list_reservations", "A customer's reservations.", {"customer_id": INT}, ["customer_id"]),
    tool(
        "create_reservation",
        "Reserve a car: total = days x (daily_rate + 25 if the driver is under 25). Drivers "
        "under 25 cannot rent premium or luxury cars.",
        {"customer_id": INT, "car_id": INT, **_DATES},
        ["customer_id", "car_id", "start_date", "end_date"],
        mutates=True,
    ),
    tool(
        "cancel_reservation",
        "Cancel an active reservation.",
        {"reservation_id": INT},
        ["reservation_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "extend_reservation",
        "Extend an active reservation (same car, same id) to a later end date when the car is "
        "free; the total price is recomputed.",
        {"reservation_id": INT, "new_end_date": STR},
        ["reservation_id", "new_end_date"],
        mutates=True,
    ),
)

# Verifier helpers: availability ignores the customer's own episode reservations.
V_HELPERS = _text("v_helpers.py")

L1_SOLVE = _text("l1_solve.py")
# only looks at the airport branch
L1_PERTURBED = _text("l1_perturbed.py")
L1_VERIFY = V_HELPERS + _text("l1_verify.py")

L2_SOLVE = _text("l2_solve.py")
L2_PERTURBED = _text("l2_perturbed.py")
L2_VERIFY = V_HELPERS + _text("l2_verify.py")

L3_SOLVE = _text("l3_solve.py")
L3_PERTURBED = _text("l3_perturbed.py")
L3_VERIFY = V_HELPERS + _text("l3_verify.py")

L4_SOLVE = _text("l4_solve.py")
L4_PERTURBED = _text("l4_perturbed.py")
L4_VERIFY = V_HELPERS + _text("l4_verify.py")

L5_SOLVE = _text("l5_solve.py")
L5_PERTURBED = _text("l5_perturbed.py")
L5_VERIFY = V_HELPERS + _text("l5_verify.py")
