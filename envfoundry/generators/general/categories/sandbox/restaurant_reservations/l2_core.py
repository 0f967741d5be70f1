from .l2_params import CITY, CUISINES, DATE, FALLBACK, MIN_RATING, PARTY, PREFERRED, SIZE
from .solve_lib import _fits, _reserve


def _book_dinner(tools, vegetarian_only):
    """Book the best-rated candidate with a table at the preferred time, else the fallback."""
    cands = []
    for cuisine in CUISINES:
        for r in tools.search_restaurants(city=CITY, cuisine=cuisine, min_rating=MIN_RATING):
            rest = tools.get_restaurant(restaurant_id=r["id"])
            if rest["vegetarian"] or not vegetarian_only:
                cands.append(rest)
    for time in (PREFERRED, FALLBACK):
        options = [(rest, _fits(tools, rest, DATE, time, SIZE)) for rest in cands]
        options = [(rest, free) for rest, free in options if free]
        if options:
            rest, free = max(options, key=lambda o: o[0]["rating"])
            return {
                "reservation_id": _reserve(
                    tools, rest, free[0]["table_id"], DATE, time, SIZE, PARTY
                )
            }
    return {"reservation_id": -1}
