

def solve(tools):
    old = tools.find_reservations(party_name={{PARTY}})[0]
    # forgets to cancel the old reservation
    rest = tools.get_restaurant(restaurant_id=old["restaurant_id"])
    base = _m(old["time"])
    for delta in (0, -30, 30, -60, 60):
        t = base + delta
        time = f"{t // 60:02d}:{t % 60:02d}"
        free = _fits(tools, rest, old["date"], time, {{SIZE}})
        if free:
            break
    else:
        best = None
        for r in tools.search_restaurants(city=rest["city"], cuisine=rest["cuisine"]):
            other = tools.get_restaurant(restaurant_id=r["id"])
            fits = _fits(tools, other, old["date"], old["time"], {{SIZE}})
            if other["id"] != rest["id"] and fits and (best is None or other["rating"] > best[0]["rating"]):
                best = (other, fits)
        rest, free, time = best[0], best[1], old["time"]
    res = tools.make_reservation(restaurant_id=rest["id"], table_id=free[0]["table_id"],
                                 date=old["date"], time=time, party_size={{SIZE}},
                                 party_name={{PARTY}})
    return {"reservation_id": res["reservation_id"]}
