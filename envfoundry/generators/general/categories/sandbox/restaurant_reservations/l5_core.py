from .l5_params import CITY, MIN_RATING, TIMES
from .solve_lib import _fits


def _vegan(tools):
    found = tools.search_restaurants(city=CITY, min_rating=MIN_RATING)
    rests = [tools.get_restaurant(restaurant_id=r["id"]) for r in found]
    return [r for r in rests if r["vegan"]]


def _first_table(tools, rest, date, size):
    """(time, table id) of the first of TIMES with a free table, or None."""
    for time in TIMES:
        free = _fits(tools, rest, date, time, size)
        if free:
            return time, free[0]["table_id"]
    return None
