

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_id"), int):
        return False, "answer must be an object with an integer 'listing_id'"
    ok = [r for r in db.execute("SELECT * FROM listings WHERE city = ? AND status = 'available'"
                                " AND bedrooms >= ?", ({{CITY}}, {{MIN_BED}}))
          if _near(db, r, "metro", {{RADIUS}})]
    pick = [r for r in ok if r["id"] == answer["listing_id"]]
    if not pick:
        return False, "the listing does not meet the bedroom, city or metro-distance rule"
    if pick[0]["monthly_rent"] > min(r["monthly_rent"] for r in ok):
        return False, "a cheaper qualifying listing exists"
    return True, "cheapest listing near a metro station"
