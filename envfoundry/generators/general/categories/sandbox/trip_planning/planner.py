
import itertools

HOME = {{HOME}}
N_DAYS = {{N_DAYS}}
FIXED = {{FIXED}}
DATES = {{DATES}}
MIN_PRICE = {{MIN_PRICE}}
MIN_RATING = {{MIN_RATING}}
MIN_LUX = {{MIN_LUX}}
OBJECTIVE = {{OBJECTIVE}}
RAINY = ("rain", "thunderstorm")


def _rule_ok(price, lunch, dinner, att):
    if price >= 800:
        return (lunch["avg_cost"] + dinner["avg_cost"] < 350
                and min(lunch["rating"], dinner["rating"]) >= 4.0 and att["ticket_price"] < 120)
    if price >= 500:
        return max(lunch["rating"], dinner["rating"]) >= 4.0 and att["ticket_price"] < 180
    if price >= 200:
        return max(lunch["rating"], dinner["rating"]) >= 3.2
    return True


def _city_data(tools, city):
    hotels = [tools.get_infos_by_hotel(hotel=h) for h in tools.get_all_hotels_by_city(city=city)]
    rests = [tools.get_infos_by_restaurant(restaurant=r)
             for r in tools.get_all_restaurants_by_city(city=city)]
    atts = [tools.get_infos_by_attraction(attraction=a)
            for a in tools.get_all_attractions_by_city(city=city)]
    return hotels, rests, atts


def _best_days(tools, city, use_weather):
    hotels, rests, atts = _city_data(tools, city)
    out = []
    for d in range(N_DAYS):
        rainy = False
        if use_weather:
            rainy = tools.get_weather_by_city_date(city=city, date=DATES[d])["condition"] in RAINY
        best = {False: None, True: None}
        for h in hotels:
            if h["price_per_night"] < MIN_PRICE or h["rating"] < MIN_RATING:
                continue
            lux = h["price_per_night"] >= 800
            for lunch, dinner in itertools.combinations(rests, 2):
                for a in atts:
                    if rainy and a["setting"] == "outdoor":
                        continue
                    if not _rule_ok(h["price_per_night"], lunch, dinner, a):
                        continue
                    cost = h["price_per_night"] + lunch["avg_cost"] + dinner["avg_cost"]
                    cost += a["ticket_price"]
                    if best[lux] is None or cost < best[lux][0]:
                        best[lux] = (cost, {"city": city, "hotel": h["name"], "lunch": lunch["name"],
                                            "dinner": dinner["name"],
                                            "afternoon_attraction": a["name"]})
        out.append(best)
    return out


def _cheapest_leg(tools, legs, a, b):
    if (a, b) not in legs:
        options = tools.get_inter_city_transport(from_city=a, to_city=b)
        legs[(a, b)] = min(options, key=lambda o: (o["price"], o["transport_id"])) if options else None
    return legs[(a, b)]


def _plan(tools, use_weather=True, min_lux=MIN_LUX):
    cities = sorted(c["name"] for c in tools.get_all_cities() if c["name"] != HOME)
    if FIXED is not None:
        sequences = [tuple(FIXED)]
        cities = list(FIXED)
    else:
        sequences = itertools.permutations(cities, N_DAYS)
    days = {c: _best_days(tools, c, use_weather and DATES is not None) for c in cities}
    legs = {}
    best = None
    for seq in sequences:
        route = []
        prev = HOME
        for c in seq:
            leg = _cheapest_leg(tools, legs, prev, c)
            if leg is None:
                break
            route.append(leg)
            prev = c
        if len(route) < N_DAYS:
            continue
        fare = sum(leg["price"] for leg in route)
        # states: number of luxury nights (capped at min_lux) -> (cost, day plans)
        states = {0: (0, [])}
        for d, c in enumerate(seq):
            nxt = {}
            for k, (cost, plans) in states.items():
                for lux in (False, True):
                    opt = days[c][d][lux]
                    if opt is None:
                        continue
                    k2 = min(min_lux, k + int(lux))
                    day_cost = opt[0] if OBJECTIVE != "transport" else 0
                    if k2 not in nxt or cost + day_cost < nxt[k2][0]:
                        nxt[k2] = (cost + day_cost, plans + [opt[1]])
            states = nxt
        if min_lux not in states:
            continue
        total = states[min_lux][0] + fare
        if best is None or total < best[0]:
            best = (total, states[min_lux][1], route)
    plans = []
    for i, (day, leg) in enumerate(zip(best[1], best[2])):
        plans.append({"day": i + 1, **day, "transport_from_previous": leg["transport_id"]})
    return plans
