"""Tool specs and generated-code templates (tools, solutions, verifiers) of the airline_booking category.

The templates are files under ``sandbox/airline_booking/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, STR, sandbox_reader, tool

_text = sandbox_reader("airline_booking")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

TOOLS_V1_SPECS = (
    tool("list_airports", "List every airport served: iata, name, city, country."),
    tool(
        "search_flights",
        "Direct flights origin -> destination departing on a date (UTC), with status "
        "('scheduled' or 'cancelled'), fares and seats left per cabin.",
        {
            "origin": {**STR, "description": "IATA code."},
            "destination": {**STR, "description": "IATA code."},
            "date": {**STR, "description": "Departure date YYYY-MM-DD (UTC)."},
        },
        ["origin", "destination", "date"],
    ),
    tool("get_flight", "One flight by id.", {"flight_id": INT}, ["flight_id"]),
    tool(
        "find_passenger",
        "Find a passenger by full name: id, tier ('basic', 'silver', 'gold') and miles.",
        {"name": STR},
        ["name"],
    ),
    tool(
        "list_bookings",
        "A passenger's bookings (active and cancelled) with flight details and flight_status.",
        {"passenger_id": INT},
        ["passenger_id"],
    ),
    tool(
        "book_flight",
        "Book one seat on a scheduled flight in 'economy' or 'business' at the current fare. "
        "Fails when the cabin is full.",
        {
            "passenger_id": INT,
            "flight_id": INT,
            "cabin": {"type": "string", "enum": ["economy", "business"]},
        },
        ["passenger_id", "flight_id", "cabin"],
        mutates=True,
    ),
    tool(
        "cancel_booking",
        "Cancel an active booking and release its seat; returns the refund.",
        {"booking_id": INT},
        ["booking_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "change_booking",
        "Move an active booking (keeping its id and cabin) to another scheduled flight on the "
        "same route; charges the fare difference plus a 75 change fee (waived for gold).",
        {"booking_id": INT, "new_flight_id": INT},
        ["booking_id", "new_flight_id"],
        mutates=True,
    ),
)

S_CODES = _text("s_codes.py")

L1_SOLVE = S_CODES + _text("l1_solve.py")
L1_PERTURBED = S_CODES + _text("l1_perturbed.py")
L1_VERIFY = _text("l1_verify.py")

# Shared verifier helpers: the seat counters of the task's flights match their bookings.
V_COUNTERS = _text("v_counters.py")

L2_SOLVE = S_CODES + _text("l2_solve.py")
L2_PERTURBED = S_CODES + _text("l2_perturbed.py")
L2_VERIFY = V_COUNTERS + _text("l2_verify.py")

L3_SOLVE = S_CODES + _text("l3_solve.py")
L3_PERTURBED = S_CODES + _text("l3_perturbed.py")
L3_VERIFY = V_COUNTERS + _text("l3_verify.py")

L4_SOLVE = _text("l4_solve.py")
# forgets to cancel the booking on the cancelled flight
L4_PERTURBED = _text("l4_perturbed.py")
L4_VERIFY = V_COUNTERS + _text("l4_verify.py")

L5_SOLVE = S_CODES + _text("l5_solve.py")
# ignores the arrival / departure time windows
L5_PERTURBED = S_CODES + _text("l5_perturbed.py")
L5_VERIFY = V_COUNTERS + _text("l5_verify.py")
