

def solve(tools):
    # books the cheapest option every night and forgets the different-cuisine rule
    rests = [tools.get_restaurant(restaurant_id=r["id"])
             for r in tools.search_restaurants(city={{CITY}}, min_rating={{MIN_RATING}})]
    rests = sorted((r for r in rests if r["vegan"]), key=lambda r: r["price_per_person"])
    ids = []
    for date in {{DATES}}:
        done = False
        for rest in rests:
            for time in {{TIMES}}:
                free = _fits(tools, rest, date, time, {{SIZE}})
                if free and not done:
                    res = tools.make_reservation(restaurant_id=rest["id"],
                                                 table_id=free[0]["table_id"], date=date, time=time,
                                                 party_size={{SIZE}}, party_name={{PARTY}})
                    ids.append(res["reservation_id"])
                    done = True
    return {"reservation_ids": ids}
