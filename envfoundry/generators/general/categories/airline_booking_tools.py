"""Tool specs of the airline_booking category; the tools are ``sandbox/airline_booking/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import INT, STR, tool

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
