

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("car_id")):
        return False, "answer must be an object with an integer 'car_id'"
    ok = [c for c in _cars(db, "b.city = ? AND c.seats >= ?", ({{CITY}}, {{SEATS}}))
          if _free(db, c["id"], {{START}}, {{END}})]
    pick = [c for c in ok if c["id"] == answer["car_id"]]
    if not pick:
        return False, "not a free car in {{CITY}} with at least {{SEATS}} seats"
    if pick[0]["daily_rate"] > min(c["daily_rate"] for c in ok):
        return False, "a cheaper free car qualifies"
    return True, "cheapest free car"
