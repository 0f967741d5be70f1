
def solve(tools):
    # takes the best-rated gluten-free restaurant without checking tables
    rests = [tools.get_restaurant(restaurant_id=r["id"]) for r in tools.search_restaurants(city={{CITY}})]
    best = max((r for r in rests if r["gluten_free"]), key=lambda r: r["rating"])
    return {"restaurant_id": best["id"]}
