

def _ok(rest):
    return (rest["city"] == {{CITY}} and rest["cuisine"] in {{CUISINES}}
            and rest["rating"] >= {{MIN_RATING}} and rest["vegetarian"] == 1)


def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("reservation_id"), int):
        return False, "answer must be an object with an integer 'reservation_id'"
    mine = _mine(db, {{PARTY}})
    if len(mine) != 1 or mine[0]["id"] != answer["reservation_id"]:
        return False, "the party must hold exactly one active reservation, the one answered"
    res = mine[0]
    rest = _rest(db, res["restaurant_id"])
    if not _ok(rest):
        return False, f"{rest['name']} breaks the cuisine/vegetarian/rating rules"
    if res["date"] != {{DATE}} or res["party_size"] != {{SIZE}} or _clash(db, res):
        return False, "wrong date or party size, or the table is double-booked"
    cands = [r for r in db.execute("SELECT * FROM restaurants") if _ok(r)]
    ign = (res["id"],)
    early = [r for r in cands if _free(db, r, {{DATE}}, {{PREFERRED}}, {{SIZE}}, ign)]
    want_time = {{PREFERRED}} if early else {{FALLBACK}}
    if res["time"] != want_time:
        return False, f"the reservation must be at {want_time}, not {res['time']}"
    avail = [r for r in cands if _free(db, r, {{DATE}}, want_time, {{SIZE}}, ign)]
    if rest["rating"] < max(r["rating"] for r in avail):
        return False, "a better-rated qualifying restaurant had a free table"
    tables = _free(db, rest, {{DATE}}, want_time, {{SIZE}}, ign)
    seats = db.execute("SELECT seats FROM dining_tables WHERE id = ?", (res["table_id"],)).fetchone()
    if seats["seats"] > min(t["seats"] for t in tables):
        return False, "a smaller free table would have seated the party"
    return True, "valid reservation"
