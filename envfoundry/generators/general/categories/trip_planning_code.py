"""Generated-code templates of the trip_planning category (tools, planner, verifier)."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import STR, tool

SCHEMA_SQL = """
CREATE TABLE cities (name TEXT PRIMARY KEY, country TEXT NOT NULL, population INTEGER NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL, is_home INTEGER NOT NULL);
CREATE TABLE hotels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT NOT NULL
  REFERENCES cities(name), stars INTEGER NOT NULL, price_per_night INTEGER NOT NULL,
  rating REAL NOT NULL);
CREATE TABLE restaurants (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT NOT NULL
  REFERENCES cities(name), cuisine TEXT NOT NULL, avg_cost INTEGER NOT NULL, rating REAL NOT NULL);
CREATE TABLE attractions (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT NOT NULL
  REFERENCES cities(name), category TEXT NOT NULL, setting TEXT NOT NULL,
  ticket_price INTEGER NOT NULL, rating REAL NOT NULL);
CREATE TABLE transport (id INTEGER PRIMARY KEY, from_city TEXT NOT NULL, to_city TEXT NOT NULL,
  mode TEXT NOT NULL, departure_time TEXT NOT NULL, duration_min INTEGER NOT NULL,
  price INTEGER NOT NULL);
CREATE TABLE weather (city TEXT NOT NULL, date TEXT NOT NULL, condition TEXT NOT NULL,
  temp_high_c INTEGER NOT NULL, PRIMARY KEY (city, date));
"""

TOOLS_V1 = '''
"""Trip planning tools over a travel database: cities, hotels, restaurants, attractions, transport."""


def _name(value, what):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string")
    return value


def _city(db, city):
    _name(city, "city")
    if db.execute("SELECT 1 FROM cities WHERE name = ?", (city,)).fetchone() is None:
        raise ValueError(f"unknown city {city!r}; get_all_cities lists the cities")
    return city


def _one(db, table, name, what):
    _name(name, what)
    row = db.execute(f"SELECT * FROM {table} WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no {what} named {name!r}")
    out = dict(row)
    out.pop("id", None)
    return out


def get_all_cities(db):
    """Every city with its country and population; is_home marks the traveller's home city."""
    rows = db.execute("SELECT name, country, population, is_home FROM cities ORDER BY name")
    return [dict(r) for r in rows]


def get_all_hotels_by_city(db, city):
    """Names of the hotels in a city."""
    rows = db.execute("SELECT name FROM hotels WHERE city = ? ORDER BY name", (_city(db, city),))
    return [r["name"] for r in rows]


def get_infos_by_hotel(db, hotel):
    """A hotel's city, stars, price per night and guest rating."""
    return _one(db, "hotels", hotel, "hotel")


def get_all_restaurants_by_city(db, city):
    """Names of the restaurants in a city."""
    rows = db.execute("SELECT name FROM restaurants WHERE city = ? ORDER BY name", (_city(db, city),))
    return [r["name"] for r in rows]


def get_infos_by_restaurant(db, restaurant):
    """A restaurant's city, cuisine, average cost per person and rating."""
    return _one(db, "restaurants", restaurant, "restaurant")


def get_all_attractions_by_city(db, city):
    """Names of the attractions in a city."""
    rows = db.execute("SELECT name FROM attractions WHERE city = ? ORDER BY name", (_city(db, city),))
    return [r["name"] for r in rows]


def get_infos_by_attraction(db, attraction):
    """An attraction's city, category, setting (indoor/outdoor), ticket price and rating."""
    return _one(db, "attractions", attraction, "attraction")


def get_inter_city_transport(db, from_city, to_city):
    """Direct transport options (train, bus, flight) from one city to another."""
    _city(db, from_city)
    _city(db, to_city)
    if from_city == to_city:
        raise ValueError("from_city and to_city must differ")
    rows = db.execute(
        "SELECT id AS transport_id, from_city, to_city, mode, departure_time, duration_min, price"
        " FROM transport WHERE from_city = ? AND to_city = ? ORDER BY id",
        (from_city, to_city),
    )
    return [dict(r) for r in rows]
'''

TOOLS_V2_EXTRA = '''
def get_weather_by_city_date(db, city, date):
    """The weather forecast of a city on a date (YYYY-MM-DD) inside the forecast window."""
    _city(db, city)
    _name(date, "date")
    row = db.execute(
        "SELECT city, date, condition, temp_high_c FROM weather WHERE city = ? AND date = ?",
        (city, date),
    ).fetchone()
    if row is None:
        span = db.execute("SELECT MIN(date) AS lo, MAX(date) AS hi FROM weather").fetchone()
        raise ValueError(f"no forecast for {date!r}; forecasts cover {span['lo']} to {span['hi']}")
    return dict(row)
'''

_CITY = {"city": {**STR, "description": "City name as returned by get_all_cities."}}
TOOLS_V1_SPECS = (
    tool("get_all_cities", "List every city (name, country, population, is_home flag)."),
    tool("get_all_hotels_by_city", "List the names of the hotels in a city.", _CITY, ["city"]),
    tool(
        "get_infos_by_hotel",
        "Details of one hotel: city, stars, price_per_night and rating (0-5).",
        {"hotel": {**STR, "description": "Exact hotel name."}},
        ["hotel"],
    ),
    tool(
        "get_all_restaurants_by_city",
        "List the names of the restaurants in a city.",
        _CITY,
        ["city"],
    ),
    tool(
        "get_infos_by_restaurant",
        "Details of one restaurant: city, cuisine, avg_cost per person and rating (0-5).",
        {"restaurant": {**STR, "description": "Exact restaurant name."}},
        ["restaurant"],
    ),
    tool(
        "get_all_attractions_by_city",
        "List the names of the attractions in a city.",
        _CITY,
        ["city"],
    ),
    tool(
        "get_infos_by_attraction",
        "Details of one attraction: city, category, setting ('indoor' or 'outdoor'), "
        "ticket_price and rating (0-5).",
        {"attraction": {**STR, "description": "Exact attraction name."}},
        ["attraction"],
    ),
    tool(
        "get_inter_city_transport",
        "Direct transport options from one city to another: transport_id, mode, "
        "departure_time, duration_min and price. An empty list means no direct connection.",
        {"from_city": STR, "to_city": STR},
        ["from_city", "to_city"],
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "get_weather_by_city_date",
        "Weather forecast of a city on a date: condition ('sunny', 'partly cloudy', 'cloudy', "
        "'rain' or 'thunderstorm') and temp_high_c.",
        {**_CITY, "date": {**STR, "description": "Date as YYYY-MM-DD."}},
        ["city", "date"],
    ),
)

# The planner shared by every level: the best-cost feasible day per (city, day, luxury), then
# a search over city sequences connected by direct transport.
PLANNER = """
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
"""

SOLVE = (
    PLANNER
    + """

def solve(tools):
    return {"days": _plan(tools)}
"""
)

# L1: swaps both meals for the two cheapest restaurants, whatever their rating.
PERTURB_CHEAP_MEALS = (
    PLANNER
    + """

def solve(tools):
    days = _plan(tools)
    day = days[0]
    rests = [tools.get_infos_by_restaurant(restaurant=r)
             for r in tools.get_all_restaurants_by_city(city=day["city"])]
    cheap = sorted(rests, key=lambda r: (r["avg_cost"], r["name"]))[:2]
    day["lunch"], day["dinner"] = cheap[0]["name"], cheap[1]["name"]
    return {"days": days}
"""
)

# L2: takes the best-rated attraction of the last day, ignoring the ticket limit.
PERTURB_TOP_ATTRACTION = (
    PLANNER
    + """

def solve(tools):
    days = _plan(tools)
    day = days[-1]
    atts = [tools.get_infos_by_attraction(attraction=a)
            for a in tools.get_all_attractions_by_city(city=day["city"])]
    day["afternoon_attraction"] = max(atts, key=lambda a: (a["rating"], a["name"]))["name"]
    return {"days": days}
"""
)

# L3: goes back to the first city on the last day to save a fare.
PERTURB_REVISIT = (
    PLANNER
    + """

def solve(tools):
    days = _plan(tools)
    first, last = days[0], days[-1]
    back = tools.get_inter_city_transport(from_city=days[-2]["city"], to_city=first["city"])
    last.update({k: first[k] for k in ("city", "hotel", "lunch", "dinner", "afternoon_attraction")})
    if back:
        last["transport_from_previous"] = back[0]["transport_id"]
    return {"days": days}
"""
)

# L4: plans without looking at the forecast (outdoor sights on rainy days).
PERTURB_NO_WEATHER = (
    PLANNER
    + """

def solve(tools):
    return {"days": _plan(tools, use_weather=False)}
"""
)

# L5: forgets the luxury-nights requirement.
PERTURB_NO_LUX = (
    PLANNER
    + """

def solve(tools):
    return {"days": _plan(tools, min_lux=0)}
"""
)

VERIFY = """
HOME = {{HOME}}
N_DAYS = {{N_DAYS}}
FIXED = {{FIXED}}
DATES = {{DATES}}
MIN_PRICE = {{MIN_PRICE}}
MIN_RATING = {{MIN_RATING}}
MIN_LUX = {{MIN_LUX}}
BUDGET = {{BUDGET}}
BUDGET_KIND = {{BUDGET_KIND}}
KEYS = ("day", "city", "hotel", "lunch", "dinner", "afternoon_attraction",
        "transport_from_previous")


def _rule(price, lunch, dinner, att):
    if price >= 800:
        if lunch["avg_cost"] + dinner["avg_cost"] >= 350:
            return "with a hotel of 800+ lunch and dinner must cost less than 350 together"
        if min(lunch["rating"], dinner["rating"]) < 4.0:
            return "with a hotel of 800+ both restaurants must be rated at least 4.0"
        if att["ticket_price"] >= 120:
            return "with a hotel of 800+ the attraction ticket must be under 120"
    elif price >= 500:
        if max(lunch["rating"], dinner["rating"]) < 4.0:
            return "with a hotel of 500-799 one restaurant must be rated at least 4.0"
        if att["ticket_price"] >= 180:
            return "with a hotel of 500-799 the attraction ticket must be under 180"
    elif price >= 200 and max(lunch["rating"], dinner["rating"]) < 3.2:
        return "with a hotel of 200-499 one restaurant must be rated at least 3.2"
    return None


def _row(db, table, name, city):
    if not isinstance(name, str):
        return None
    return db.execute(f"SELECT * FROM {table} WHERE name = ? AND city = ?", (name, city)).fetchone()


def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("days"), list):
        return False, "answer must be an object with a list 'days'"
    days = answer["days"]
    if len(days) != N_DAYS:
        return False, f"expected {N_DAYS} days, got {len(days)}"
    seen = set()
    prev, total, fares, lux = HOME, 0, 0, 0
    for i, d in enumerate(days):
        tag = f"day {i + 1}"
        if not isinstance(d, dict) or any(k not in d for k in KEYS):
            return False, f"{tag}: needs the keys {', '.join(KEYS)}"
        if d["day"] != i + 1:
            return False, f"{tag}: 'day' must be {i + 1}"
        city = d["city"]
        if not isinstance(city, str) or db.execute(
                "SELECT 1 FROM cities WHERE name = ?", (city,)).fetchone() is None:
            return False, f"{tag}: unknown city {city!r}"
        if city == HOME:
            return False, f"{tag}: the trip may not stay in the home city"
        if FIXED is not None and city != FIXED[i]:
            return False, f"{tag}: the city must be {FIXED[i]}"
        hotel = _row(db, "hotels", d["hotel"], city)
        lunch = _row(db, "restaurants", d["lunch"], city)
        dinner = _row(db, "restaurants", d["dinner"], city)
        att = _row(db, "attractions", d["afternoon_attraction"], city)
        for what, row in (("hotel", hotel), ("lunch", lunch), ("dinner", dinner),
                          ("afternoon_attraction", att)):
            if row is None:
                return False, f"{tag}: {what} {d[what]!r} is not a {what} in {city}"
        if lunch["id"] == dinner["id"]:
            return False, f"{tag}: lunch and dinner must be at different restaurants"
        for key in (("city", city), ("hotel", hotel["id"]), ("restaurant", lunch["id"]),
                    ("restaurant", dinner["id"]), ("attraction", att["id"])):
            if key in seen:
                return False, f"{tag}: {key[0]} repeated across days"
            seen.add(key)
        tid = d["transport_from_previous"]
        leg = None
        if _int(tid):
            leg = db.execute("SELECT * FROM transport WHERE id = ?", (tid,)).fetchone()
        if leg is None or leg["from_city"] != prev or leg["to_city"] != city:
            return False, f"{tag}: transport_from_previous must be a direct option {prev} -> {city}"
        price = hotel["price_per_night"]
        if price < MIN_PRICE:
            return False, f"{tag}: the hotel must cost at least {MIN_PRICE} per night"
        if hotel["rating"] < MIN_RATING:
            return False, f"{tag}: the hotel must be rated at least {MIN_RATING}"
        broken = _rule(price, lunch, dinner, att)
        if broken:
            return False, f"{tag}: {broken}"
        if DATES is not None:
            w = db.execute("SELECT condition FROM weather WHERE city = ? AND date = ?",
                           (city, DATES[i])).fetchone()
            if w is not None and w["condition"] in ("rain", "thunderstorm") \\
                    and att["setting"] == "outdoor":
                return False, f"{tag}: outdoor attraction on a {w['condition']} day"
        lux += price >= 800
        fares += leg["price"]
        total += leg["price"] + price + lunch["avg_cost"] + dinner["avg_cost"] + att["ticket_price"]
        prev = city
    if lux < MIN_LUX:
        return False, f"needs at least {MIN_LUX} nights in hotels of 800 or more, got {lux}"
    if BUDGET_KIND == "transport" and fares > BUDGET:
        return False, f"transport costs {fares}, over the budget of {BUDGET}"
    if BUDGET_KIND == "total" and total > BUDGET:
        return False, f"the trip costs {total}, over the budget of {BUDGET}"
    return True, "valid itinerary"
"""
