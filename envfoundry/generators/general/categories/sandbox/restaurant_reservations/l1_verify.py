
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("restaurant_ids"), list):
        return False, "answer must be an object with a list 'restaurant_ids'"
    ids = answer["restaurant_ids"]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return False, "restaurant_ids must be integers"
    want = sorted(r["id"] for r in db.execute(
        "SELECT id FROM restaurants WHERE city = ? AND rating >= ? AND vegan = 1",
        ({{CITY}}, {{MIN_RATING}})))
    if ids != want:
        return False, f"expected the sorted ids {want}, got {ids}"
    return True, "exact set of qualifying vegan restaurants"
