"""The planner shared by every level: the cheapest valid day per (city, day, luxury), then a
search over city sequences connected by direct transport."""

import itertools

from .params import DATES, FIXED, HOME, MIN_LUX, MIN_PRICE, MIN_RATING, N_DAYS, OBJECTIVE
from .rules import RAINY, _rule


def _city_data(tools, city):
    hotels = [tools.get_infos_by_hotel(hotel=h) for h in tools.get_all_hotels_by_city(city=city)]
    rests = [
        tools.get_infos_by_restaurant(restaurant=r)
        for r in tools.get_all_restaurants_by_city(city=city)
    ]
    atts = [
        tools.get_infos_by_attraction(attraction=a)
        for a in tools.get_all_attractions_by_city(city=city)
    ]
    return hotels, rests, atts


def _options(city, hotels, rests, atts, rainy):
    """Every valid (cost, luxury, day plan) in a city on one day."""
    for h in hotels:
        price = h["price_per_night"]
        if price < MIN_PRICE or h["rating"] < MIN_RATING:
            continue
        for lunch, dinner in itertools.combinations(rests, 2):
            for a in atts:
                if (rainy and a["setting"] == "outdoor") or _rule(price, lunch, dinner, a):
                    continue
                cost = price + lunch["avg_cost"] + dinner["avg_cost"] + a["ticket_price"]
                plan = {
                    "city": city,
                    "hotel": h["name"],
                    "lunch": lunch["name"],
                    "dinner": dinner["name"],
                    "afternoon_attraction": a["name"],
                }
                yield cost, price >= 800, plan


def _best_days(tools, city, use_weather):
    """Per day: luxury (bool) -> the cheapest (cost, plan), or None."""
    hotels, rests, atts = _city_data(tools, city)
    out = []
    for d in range(N_DAYS):
        rainy = False
        if use_weather and DATES is not None:
            rainy = tools.get_weather_by_city_date(city=city, date=DATES[d])["condition"] in RAINY
        options = list(_options(city, hotels, rests, atts, rainy))
        best = {}
        for lux in (False, True):
            mine = [(cost, plan) for cost, x, plan in options if x == lux]
            best[lux] = min(mine, key=lambda o: o[0]) if mine else None
        out.append(best)
    return out


def _cheapest_leg(tools, legs, a, b):
    if (a, b) not in legs:
        options = tools.get_inter_city_transport(from_city=a, to_city=b)
        cheapest = min(options, key=lambda o: (o["price"], o["transport_id"])) if options else None
        legs[(a, b)] = cheapest
    return legs[(a, b)]


def _route(tools, legs, seq):
    """The cheapest direct leg into each city of ``seq`` from home, or None."""
    route = []
    prev = HOME
    for c in seq:
        leg = _cheapest_leg(tools, legs, prev, c)
        if leg is None:
            return None
        route.append(leg)
        prev = c
    return route


def _cheapest_days(days, seq, min_lux):
    """The cheapest (cost, day plans) of ``seq`` with min_lux luxury nights, or None."""
    # states: number of luxury nights (capped at min_lux) -> (cost, day plans)
    states: dict[int, tuple[int, list]] = {0: (0, [])}
    for d, c in enumerate(seq):
        nxt: dict[int, tuple[int, list]] = {}
        for k, (cost, plans) in states.items():
            for lux in (False, True):
                opt = days[c][d][lux]
                if opt is None:
                    continue
                k2 = min(min_lux, k + int(lux))
                day_cost = opt[0] if OBJECTIVE != "transport" else 0
                if k2 not in nxt or cost + day_cost < nxt[k2][0]:
                    nxt[k2] = (cost + day_cost, [*plans, opt[1]])
        states = nxt
    return states.get(min_lux)


def _plan(tools, use_weather=True, min_lux=MIN_LUX):
    cities = sorted(c["name"] for c in tools.get_all_cities() if c["name"] != HOME)
    if FIXED is not None:
        sequences: list[tuple[str, ...]] = [tuple(FIXED)]
        cities = list(FIXED)
    else:
        sequences = list(itertools.permutations(cities, N_DAYS))
    days = {c: _best_days(tools, c, use_weather) for c in cities}
    legs: dict[tuple[str, str], dict | None] = {}
    trips = []
    for seq in sequences:
        route = _route(tools, legs, seq)
        found = _cheapest_days(days, seq, min_lux) if route is not None else None
        if route is not None and found is not None:
            trips.append((found[0] + sum(leg["price"] for leg in route), found[1], route))
    _, plans, route = min(trips, key=lambda t: t[0])
    return [
        {"day": i + 1, **day, "transport_from_previous": leg["transport_id"]}
        for i, (day, leg) in enumerate(zip(plans, route, strict=True))
    ]
