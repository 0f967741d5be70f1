"""Tool specs and generated-code templates (tools, solutions, verifiers) of the real_estate_search category.

The templates are files under ``sandbox/real_estate_search/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec
from envfoundry.generators.general.categories._procedural_kit import sandbox_reader

_text = sandbox_reader("real_estate_search")

SCHEMA_SQL = _text("schema.sql")

KM = _text("km.py")
MINUTES_PER_KM = {"transit": 3.0, "car": 2.2, "bike": 4.0}

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

_LID = {"type": "integer", "description": "Listing id."}
TOOLS_V1_SPECS = (
    spec(
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
    spec("get_listing", "Full details of one listing.", {"listing_id": _LID}, ["listing_id"]),
    spec(
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
    spec(
        "get_client",
        "A client's brief by exact name: id, city, budget (max monthly rent), min_bedrooms, "
        "needs_pets, commute_mode.",
        {"name": {"type": "string", "minLength": 1}},
        ["name"],
    ),
    spec(
        "place_hold",
        "Hold an available listing for a client; the listing's status becomes 'held'. Fails "
        "when the listing is not available.",
        {"listing_id": _LID, "client_id": {"type": "integer"}},
        ["listing_id", "client_id"],
        mutates=True,
    ),
)  # fmt: skip
TOOLS_V2_SPECS = (
    spec(
        "estimate_commute",
        "Commute time in whole minutes from a listing to the client's workplace, by the "
        "client's commute mode.",
        {"listing_id": _LID, "client_id": {"type": "integer"}},
        ["listing_id", "client_id"],
    ),
)

V_PRELUDE = KM + _text("v_prelude.py")

# ------------------------------------------------------------------ level 1: filter (read)

L1_SOLVE = _text("l1_solve.py")
L1_PERTURBED = _text("l1_perturbed.py")
L1_VERIFY = _text("l1_verify.py")

# ------------------------------------------------------------------ level 2: cheapest near metro

L2_SOLVE = _text("l2_solve.py")
L2_PERTURBED = _text("l2_perturbed.py")
L2_VERIFY = V_PRELUDE + _text("l2_verify.py")

# ------------------------------------------------------------------ level 3: client hold (write)

_S_BRIEF = _text("s_brief.py")
L3_SOLVE = _S_BRIEF + _text("l3_solve.py")
L3_PERTURBED = _S_BRIEF + _text("l3_perturbed.py")
L3_VERIFY = V_PRELUDE + _text("l3_verify.py")

# ------------------------------------------------------------------ level 4: three clients (write)

_S_TEAM = _S_BRIEF + _text("s_team.py")
L4_SOLVE = _S_TEAM + _text("l4_solve.py")
L4_PERTURBED = _S_TEAM + _text("l4_perturbed.py")
L4_VERIFY = V_PRELUDE + _text("l4_verify.py")

# ------------------------------------------------------------------ level 5: commute (toolset v2)

L5_SOLVE = _S_BRIEF + _text("l5_solve.py")
L5_PERTURBED = _S_BRIEF + _text("l5_perturbed.py")
L5_VERIFY = V_PRELUDE + _text("l5_verify.py")
