from .l2_params import CITY, DATE, MIN_RATING, SIZE, TIME
from .solve_lib import _fits, _vegan_rated


def _free_vegan(tools, check_tables):
    rests = _vegan_rated(tools, CITY, MIN_RATING)
    ok = [r["id"] for r in rests if not check_tables or _fits(tools, r, DATE, TIME, SIZE)]
    return {"restaurant_ids": sorted(ok)}
