"""Tool specs and generated-code templates (tools, solutions, verifiers) of the restaurant_reservations category.

The templates are files under ``sandbox/restaurant_reservations/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec
from envfoundry.generators.general.categories._procedural_kit import sandbox_reader

_text = sandbox_reader("restaurant_reservations")

SCHEMA_SQL = _text("schema.sql")

SITTING_MIN = 120

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

_ID = {"type": "integer", "description": "Restaurant id."}
_DATE = {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "description": "YYYY-MM-DD."}
_TIME = {"type": "string", "pattern": "^\\d{2}:\\d{2}$", "description": "HH:MM (on :00/:30)."}

TOOLS_V1_SPECS = (
    spec(
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
    spec(
        "get_restaurant",
        "Details of one restaurant: opening hours (local HH:MM), price per person, dietary "
        "options (vegetarian, vegan, gluten_free) and its tables with seat counts.",
        {"restaurant_id": _ID},
        ["restaurant_id"],
    ),
    spec(
        "get_table_availability",
        "Tables of a restaurant free for a 120-minute sitting starting at the given date and "
        "time. Fails when the sitting would not fit inside the opening hours.",
        {"restaurant_id": _ID, "date": _DATE, "time": _TIME},
        ["restaurant_id", "date", "time"],
    ),
    spec(
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
    spec(
        "find_reservations",
        "Active reservations under a party name (reservation_id, restaurant_id, table_id, "
        "seats of the table, party_size, date, time).",
        {"party_name": {"type": "string", "minLength": 1}},
        ["party_name"],
    ),
    spec(
        "cancel_reservation",
        "Cancel an active reservation by id, freeing its table.",
        {"reservation_id": {"type": "integer"}},
        ["reservation_id"],
        mutates=True,
    ),
)

# ------------------------------------------------------------------ shared generated helpers

V_PRELUDE = _text("v_prelude.py")

S_PRELUDE = _text("s_prelude.py")


# ------------------------------------------------------------------ level 1: filter (read)

L1_SOLVE = _text("l1_solve.py")
L1_PERTURBED = _text("l1_perturbed.py")
L1_VERIFY = _text("l1_verify.py")

# ------------------------------------------------------------------ level 2: best available (read)

L2_SOLVE = S_PRELUDE + _text("l2_solve.py")
L2_PERTURBED = _text("l2_perturbed.py")
L2_VERIFY = V_PRELUDE + _text("l2_verify.py")

# ------------------------------------------------------------------ level 3: conditional booking

L3_SOLVE = S_PRELUDE + _text("l3_solve.py")
L3_PERTURBED = S_PRELUDE + _text("l3_perturbed.py")
L3_VERIFY = V_PRELUDE + _text("l3_verify.py")

# ------------------------------------------------------------------ level 4: three nights, budget

L4_SOLVE = S_PRELUDE + _text("l4_solve.py")
L4_PERTURBED = S_PRELUDE + _text("l4_perturbed.py")
L4_VERIFY = V_PRELUDE + _text("l4_verify.py")

# ------------------------------------------------------------------ level 5: move (toolset v2)

L5_SOLVE = S_PRELUDE + _text("l5_solve.py")
L5_PERTURBED = S_PRELUDE + _text("l5_perturbed.py")
L5_VERIFY = V_PRELUDE + _text("l5_verify.py")
