"""Tool specs and generated-code templates (tools, planner, verifier) of the trip_planning category.

The templates are files under ``sandbox/trip_planning/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import STR, sandbox_reader, tool

_text = sandbox_reader("trip_planning")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

_CITY = {"city": {**STR, "description": "City name as returned by get_all_cities."}}
TOOLS_V1_SPECS = (
    tool("get_all_cities", "List every city (name, country, population, is_home flag)."),
    tool("get_all_hotels_by_city", "List the names of the hotels in a city.", _CITY, ["city"]),
    tool(
        "get_infos_by_hotel",
        "Details of one hotel: city, stars, price_per_night and rating (0-5).",
        {"hotel": {**STR, "description": "Exact hotel name."}},
        ["hotel"],
    ),
    tool(
        "get_all_restaurants_by_city",
        "List the names of the restaurants in a city.",
        _CITY,
        ["city"],
    ),
    tool(
        "get_infos_by_restaurant",
        "Details of one restaurant: city, cuisine, avg_cost per person and rating (0-5).",
        {"restaurant": {**STR, "description": "Exact restaurant name."}},
        ["restaurant"],
    ),
    tool(
        "get_all_attractions_by_city",
        "List the names of the attractions in a city.",
        _CITY,
        ["city"],
    ),
    tool(
        "get_infos_by_attraction",
        "Details of one attraction: city, category, setting ('indoor' or 'outdoor'), "
        "ticket_price and rating (0-5).",
        {"attraction": {**STR, "description": "Exact attraction name."}},
        ["attraction"],
    ),
    tool(
        "get_inter_city_transport",
        "Direct transport options from one city to another: transport_id, mode, "
        "departure_time, duration_min and price. An empty list means no direct connection.",
        {"from_city": STR, "to_city": STR},
        ["from_city", "to_city"],
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "get_weather_by_city_date",
        "Weather forecast of a city on a date: condition ('sunny', 'partly cloudy', 'cloudy', "
        "'rain' or 'thunderstorm') and temp_high_c.",
        {**_CITY, "date": {**STR, "description": "Date as YYYY-MM-DD."}},
        ["city", "date"],
    ),
)

# The planner shared by every level: the best-cost feasible day per (city, day, luxury), then
# a search over city sequences connected by direct transport.
PLANNER = _text("planner.py")

SOLVE = PLANNER + _text("solve.py")

# L1: swaps both meals for the two cheapest restaurants, whatever their rating.
PERTURB_CHEAP_MEALS = PLANNER + _text("perturb_cheap_meals.py")

# L2: takes the best-rated attraction of the last day, ignoring the ticket limit.
PERTURB_TOP_ATTRACTION = PLANNER + _text("perturb_top_attraction.py")

# L3: goes back to the first city on the last day to save a fare.
PERTURB_REVISIT = PLANNER + _text("perturb_revisit.py")

# L4: plans without looking at the forecast (outdoor sights on rainy days).
PERTURB_NO_WEATHER = PLANNER + _text("perturb_no_weather.py")

# L5: forgets the luxury-nights requirement.
PERTURB_NO_LUX = PLANNER + _text("perturb_no_lux.py")

VERIFY = _text("verify.py")
