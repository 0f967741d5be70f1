from .l4_params import CITY, DATE, SIZE, TIME
from .solve_lib import _fits


def _best_gluten_free(tools, check_tables):
    rests = [
        tools.get_restaurant(restaurant_id=r["id"]) for r in tools.search_restaurants(city=CITY)
    ]
    ok = [
        r
        for r in rests
        if r["gluten_free"] and (not check_tables or _fits(tools, r, DATE, TIME, SIZE))
    ]
    return {"restaurant_id": max(ok, key=lambda r: r["rating"])["id"]}
