
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_ids"), list):
        return False, "answer must be an object with a list 'listing_ids'"
    want = [r["id"] for r in db.execute(
        "SELECT id FROM listings WHERE city = ? AND status = 'available' AND monthly_rent <= ?"
        " AND bedrooms >= ? AND pets_allowed = 1 ORDER BY id", ({{CITY}}, {{MAX_RENT}}, {{MIN_BED}}))]
    if answer["listing_ids"] != want:
        return False, f"expected {want}, got {answer['listing_ids']}"
    return True, "exact list of listings"
