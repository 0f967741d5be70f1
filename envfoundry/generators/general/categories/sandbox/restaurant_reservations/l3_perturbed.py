

def solve(tools):
    # ignores the vegetarian requirement
    cands = []
    for cuisine in {{CUISINES}}:
        for r in tools.search_restaurants(city={{CITY}}, cuisine=cuisine, min_rating={{MIN_RATING}}):
            cands.append(tools.get_restaurant(restaurant_id=r["id"]))
    for time in ({{PREFERRED}}, {{FALLBACK}}):
        options = [(rest, _fits(tools, rest, {{DATE}}, time, {{SIZE}})) for rest in cands]
        options = [(rest, free) for rest, free in options if free]
        if options:
            rest, free = max(options, key=lambda o: o[0]["rating"])
            res = tools.make_reservation(restaurant_id=rest["id"], table_id=free[0]["table_id"],
                                         date={{DATE}}, time=time, party_size={{SIZE}},
                                         party_name={{PARTY}})
            return {"reservation_id": res["reservation_id"]}
    return {"reservation_id": -1}
