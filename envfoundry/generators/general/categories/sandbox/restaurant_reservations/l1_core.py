from .l1_params import CITY, MIN_RATING


def _restaurant_ids(tools, vegan_only):
    found = tools.search_restaurants(city=CITY, min_rating=MIN_RATING)
    keep = [
        r["id"]
        for r in found
        if not vegan_only or tools.get_restaurant(restaurant_id=r["id"])["vegan"]
    ]
    return {"restaurant_ids": sorted(keep)}
