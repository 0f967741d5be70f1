

def solve(tools):
    best = None
    for r in tools.search_restaurants(city={{CITY}}):
        rest = tools.get_restaurant(restaurant_id=r["id"])
        if rest["gluten_free"] and _fits(tools, rest, {{DATE}}, {{TIME}}, {{SIZE}}):
            if best is None or rest["rating"] > best["rating"]:
                best = rest
    return {"restaurant_id": best["id"]}
