from .l1_params import CITY, MIN_RATING
from .solve_lib import _vegan_rated


def _restaurant_ids(tools, vegan_only):
    return {
        "restaurant_ids": sorted(r["id"] for r in _vegan_rated(tools, CITY, MIN_RATING, vegan_only))
    }
