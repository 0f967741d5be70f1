

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_id"), int):
        return False, "answer must be an object with an integer 'listing_id'"
    cl = _client(db, {{CLIENT}})
    holds = _holds(db, cl["id"])
    if len(holds) != 1 or holds[0]["listing_id"] != answer["listing_id"]:
        return False, "the client must hold exactly the answered listing"
    ok = [r for r in _pool(db, [answer["listing_id"]]) if _fits(cl, r)
          and _near(db, r, "school", {{RADIUS}}) and _near(db, r, "park", {{RADIUS}})]
    pick = [r for r in ok if r["id"] == answer["listing_id"]]
    if not pick or pick[0]["status"] != "held":
        return False, "the listing breaks the brief or the school/park rule, or is not held"
    if pick[0]["area_sqm"] < max(r["area_sqm"] for r in ok):
        return False, "a larger qualifying listing exists"
    return True, "largest qualifying listing held"
