"""Tool specs of the restaurant_reservations category; the tools are ``sandbox/restaurant_reservations/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import tool

_ID = {"type": "integer", "description": "Restaurant id."}
_DATE = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "description": "YYYY-MM-DD."}
_TIME = {"type": "string", "pattern": "^\\d{2}:\\d{2}$", "description": "HH:MM (on :00/:30)."}

TOOLS_V1_SPECS = (
    tool(
        "search_restaurants",
        "List restaurants in a city (id, name, cuisine, rating, price_per_person), optionally "
        "filtered by exact cuisine and by minimum rating.",
        {
            "city": {"type": "string"},
            "cuisine": {"type": "string"},
            "min_rating": {"type": "number", "minimum": 0, "maximum": 5},
        },
        ["city"],
    ),
    tool(
        "get_restaurant",
        "Details of one restaurant: opening hours (local HH:MM), price per person, dietary "
        "options (vegetarian, vegan, gluten_free) and its tables with seat counts.",
        {"restaurant_id": _ID},
        ["restaurant_id"],
    ),
    tool(
        "get_table_availability",
        "Tables of a restaurant free for a 120-minute sitting starting at the given date and "
        "time. Fails when the sitting would not fit inside the opening hours.",
        {"restaurant_id": _ID, "date": _DATE, "time": _TIME},
        ["restaurant_id", "date", "time"],
    ),
    tool(
        "make_reservation",
        "Reserve a table for a 120-minute sitting. Fails if the table is not in that "
        "restaurant, seats fewer than party_size, or overlaps another active reservation.",
        {
            "restaurant_id": _ID,
            "table_id": {"type": "integer"},
            "date": _DATE,
            "time": _TIME,
            "party_size": {"type": "integer", "minimum": 1},
            "party_name": {"type": "string", "minLength": 1},
        },
        ["restaurant_id", "table_id", "date", "time", "party_size", "party_name"],
        mutates=True,
    ),
)

TOOLS_V2_SPECS = (
    tool(
        "find_reservations",
        "Active reservations under a party name (reservation_id, restaurant_id, table_id, "
        "seats of the table, party_size, date, time).",
        {"party_name": {"type": "string", "minLength": 1}},
        ["party_name"],
    ),
    tool(
        "cancel_reservation",
        "Cancel an active reservation by id, freeing its table.",
        {"reservation_id": {"type": "integer"}},
        ["reservation_id"],
        mutates=True,
    ),
)
