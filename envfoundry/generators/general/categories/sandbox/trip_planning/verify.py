
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
            if w is not None and w["condition"] in ("rain", "thunderstorm") \
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
