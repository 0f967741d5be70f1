

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("reservation_ids"), list):
        return False, "answer must be an object with a list 'reservation_ids'"
    mine = _mine(db, {{PARTY}})
    if sorted(r["id"] for r in mine) != sorted(answer["reservation_ids"]) or len(mine) != 3:
        return False, "the party must hold exactly the three answered reservations"
    if sorted(r["date"] for r in mine) != {{DATES}}:
        return False, "exactly one dinner per requested evening is required"
    cuisines, cost = set(), 0
    for res in mine:
        rest = _rest(db, res["restaurant_id"])
        if rest["city"] != {{CITY}} or not rest["vegan"] or rest["rating"] < {{MIN_RATING}}:
            return False, f"{rest['name']} breaks the city/vegan/rating rules"
        if res["time"] not in {{TIMES}} or res["party_size"] != {{SIZE}} or _clash(db, res):
            return False, "a reservation has a wrong time or size, or is double-booked"
        cuisines.add(rest["cuisine"])
        cost += rest["price_per_person"] * {{SIZE}}
    if len(cuisines) != 3:
        return False, "the three dinners must have three different cuisines"
    if cost > {{BUDGET}}:
        return False, f"estimated cost {cost} exceeds the budget"
    return True, f"three valid dinners costing {cost}"
