
def solve(tools):
    # forgets the vegan requirement
    found = tools.search_restaurants(city={{CITY}}, min_rating={{MIN_RATING}})
    return {"restaurant_ids": sorted(r["id"] for r in found)}
