"""Tool specs of the car_rental category; the tools are ``sandbox/car_rental/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import INT, STR, tool

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
