

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("reservation_id")):
        return False, "answer must be an object with an integer 'reservation_id'"
    new = _new(db, {{NAME}})
    if len(new) != 1 or new[0]["id"] != answer["reservation_id"]:
        return False, "expected exactly one new active reservation, the answered one"
    r = new[0]
    if (r["start_date"], r["end_date"]) != ({{START}}, {{END}}) or r["branch_id"] != {{BRANCH}}:
        return False, "wrong branch or dates"
    if r["car_class"] != "suv" or r["transmission"] != "automatic":
        return False, "the car must be an automatic SUV"
    broken = _sound(db, r)
    if broken:
        return False, broken
    ok = [c for c in _cars(db, "c.branch_id = ? AND c.car_class = 'suv' AND c.transmission = 'automatic'",
                           ({{BRANCH}},)) if _free(db, c["id"], {{START}}, {{END}}, (r["id"],))]
    if r["daily_rate"] > min(c["daily_rate"] for c in ok):
        return False, "a cheaper automatic SUV was free"
    return True, "cheapest automatic SUV reserved"
