
def solve(tools):
    found = tools.search_restaurants(city={{CITY}}, min_rating={{MIN_RATING}})
    keep = [r["id"] for r in found if tools.get_restaurant(restaurant_id=r["id"])["vegan"]]
    return {"restaurant_ids": sorted(keep)}
