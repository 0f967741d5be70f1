

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_ids"), list):
        return False, "answer must be an object with a list 'listing_ids'"
    ids = answer["listing_ids"]
    if len(ids) != 3:
        return False, "three listing ids are expected"
    chosen = []
    for name, lid in zip({{CLIENTS}}, ids):
        cl = _client(db, name)
        holds = _holds(db, cl["id"])
        if len(holds) != 1 or holds[0]["listing_id"] != lid:
            return False, f"{name} must hold exactly the answered listing"
        lst = db.execute("SELECT * FROM listings WHERE id = ?", (lid,)).fetchone()
        if not _fits(cl, lst) or not _near(db, lst, "metro", {{RADIUS}}) or lst["status"] != "held":
            return False, f"listing {lid} does not meet {name}'s brief or the metro rule"
        chosen.append(lst)
    if len({c["neighborhood"] for c in chosen}) != 3:
        return False, "the three listings must be in three different neighborhoods"
    total = sum(c["monthly_rent"] for c in chosen)
    if total > {{BUDGET}}:
        return False, f"total rent {total} exceeds the budget"
    return True, f"three listings held for {total} a month"
