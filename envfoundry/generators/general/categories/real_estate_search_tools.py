"""Tool specs of the real_estate_search category; the tools are ``sandbox/real_estate_search/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import tool

_LID = {"type": "integer", "description": "Listing id."}
TOOLS_V1_SPECS = (
    tool(
        "search_listings",
        "Available rental listings in a city (id, neighborhood, type, bedrooms, bathrooms, "
        "area_sqm, monthly_rent, pets_allowed), optionally filtered by maximum rent, minimum "
        "bedrooms and whether pets are allowed.",
        {
            "city": {"type": "string"},
            "max_rent": {"type": "number"},
            "min_bedrooms": {"type": "integer", "minimum": 0},
            "pets_allowed": {"type": "boolean"},
        },
        ["city"],
    ),
    tool("get_listing", "Full details of one listing.", {"listing_id": _LID}, ["listing_id"]),
    tool(
        "nearby_amenities",
        "Amenities of one kind (metro, school, park, supermarket, hospital) within radius_km "
        "of a listing, nearest first, with straight-line distance_km rounded to 0.01.",
        {
            "listing_id": _LID,
            "kind": {"type": "string", "enum": ["metro", "school", "park", "supermarket",
                                                 "hospital"]},
            "radius_km": {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
        },
        ["listing_id", "kind", "radius_km"],
    ),
    tool(
        "get_client",
        "A client's brief by exact name: id, city, budget (max monthly rent), min_bedrooms, "
        "needs_pets, commute_mode.",
        {"name": {"type": "string", "minLength": 1}},
        ["name"],
    ),
    tool(
        "place_hold",
        "Hold an available listing for a client; the listing's status becomes 'held'. Fails "
        "when the listing is not available.",
        {"listing_id": _LID, "client_id": {"type": "integer"}},
        ["listing_id", "client_id"],
        mutates=True,
    ),
)  # fmt: skip
TOOLS_V2_SPECS = (
    tool(
        "estimate_commute",
        "Commute time in whole minutes from a listing to the client's workplace, by the "
        "client's commute mode.",
        {"listing_id": _LID, "client_id": {"type": "integer"}},
        ["listing_id", "client_id"],
    ),
)
