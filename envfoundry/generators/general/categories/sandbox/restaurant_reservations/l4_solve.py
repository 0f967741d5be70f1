
import itertools


def solve(tools):
    rests = [tools.get_restaurant(restaurant_id=r["id"])
             for r in tools.search_restaurants(city={{CITY}}, min_rating={{MIN_RATING}})]
    rests = [r for r in rests if r["vegan"]]
    options = []
    for date in {{DATES}}:
        night = []
        for rest in rests:
            for time in {{TIMES}}:
                free = _fits(tools, rest, date, time, {{SIZE}})
                if free:
                    night.append((rest, time, free[0]["table_id"]))
                    break
        options.append(night)
    best = None
    for combo in itertools.product(*options):
        if len({c[0]["cuisine"] for c in combo}) < len(combo):
            continue
        cost = sum(c[0]["price_per_person"] for c in combo) * {{SIZE}}
        if best is None or cost < best[0]:
            best = (cost, combo)
    ids = []
    for date, (rest, time, table) in zip({{DATES}}, best[1]):
        res = tools.make_reservation(restaurant_id=rest["id"], table_id=table, date=date,
                                     time=time, party_size={{SIZE}}, party_name={{PARTY}})
        ids.append(res["reservation_id"])
    return {"reservation_ids": ids}
