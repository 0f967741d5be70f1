"""Tool specs of the trip_planning category; the tools are ``sandbox/trip_planning/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import STR, tool

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
