

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("reservation_id")):
        return False, "answer must be an object with an integer 'reservation_id'"
    new = _new(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["reservation_id"]:
        return False, "expected exactly one new active reservation, the answered one"
    r = new[0]
    if (r["start_date"], r["end_date"]) != ({{START}}, {{END}}) or r["branch_id"] != {{BRANCH}}:
        return False, "wrong branch or dates"
    if r["seats"] < {{SEATS}}:
        return False, "the car must seat {{SEATS}}"
    broken = _sound(db, r)
    if broken:
        return False, broken
    ok = [c for c in _cars(db, "c.branch_id = ? AND c.seats >= ?", ({{BRANCH}}, {{SEATS}}))
          if _free(db, c["id"], {{START}}, {{END}}, (r["id"],))
          and not (r["age"] < 25 and c["car_class"] in ("premium", "luxury"))]
    for fuel in {{FUELS}}:
        pool = [c for c in ok if fuel is None or c["fuel"] == fuel]
        if pool:
            break
    if fuel is not None and r["fuel"] != fuel:
        return False, f"a free car running on {fuel} was available and must be preferred"
    if r["daily_rate"] > min(c["daily_rate"] for c in pool):
        return False, "a cheaper car of the preferred fuel was free"
    return True, "preferred fuel, lowest price"
