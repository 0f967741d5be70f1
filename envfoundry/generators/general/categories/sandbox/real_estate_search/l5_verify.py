

def _minutes(cl, lst):
    return round(6 + {{MINUTES_PER_KM}}[cl["commute_mode"]] * _km(lst["lat"], lst["lon"], cl["work_lat"], cl["work_lon"]))


def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_id"), int):
        return False, "answer must be an object with an integer 'listing_id'"
    cl = _client(db, {{CLIENT}})
    holds = _holds(db, cl["id"])
    if len(holds) != 1 or holds[0]["listing_id"] != answer["listing_id"]:
        return False, "the client must hold exactly the answered listing"
    ok = [(_minutes(cl, r), r["monthly_rent"], r) for r in _pool(db, [answer["listing_id"]])
          if _fits(cl, r) and _minutes(cl, r) <= {{MAX_MINUTES}}]
    pick = [o for o in ok if o[2]["id"] == answer["listing_id"]]
    if not pick or pick[0][2]["status"] != "held":
        return False, "the listing breaks the brief or the commute limit, or is not held"
    if pick[0][:2] > min(o[:2] for o in ok):
        return False, "another listing has a shorter commute (or the same commute for less rent)"
    return True, "shortest-commute listing held"
