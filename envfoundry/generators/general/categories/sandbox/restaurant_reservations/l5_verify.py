

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("reservation_id"), int):
        return False, "answer must be an object with an integer 'reservation_id'"
    old = db.execute("SELECT * FROM reservations WHERE id = ?", ({{OLD_ID}},)).fetchone()
    if old["status"] != "cancelled":
        return False, "the original reservation was not cancelled"
    mine = _mine(db, {{PARTY}})
    if len(mine) != 1 or mine[0]["id"] != answer["reservation_id"]:
        return False, "the party must hold exactly one active reservation, the one answered"
    res = mine[0]
    if res["party_size"] != {{SIZE}} or res["date"] != old["date"] or _clash(db, res):
        return False, "wrong party size or date, or the table is double-booked"
    home = _rest(db, old["restaurant_id"])
    ign = (res["id"],)
    for delta in (0, -30, 30, -60, 60):
        t = _m(old["time"]) + delta
        time = f"{t // 60:02d}:{t % 60:02d}"
        if _free(db, home, old["date"], time, {{SIZE}}, ign):
            if res["restaurant_id"] != home["id"] or res["time"] != time:
                return False, f"{home['name']} had a table at {time}; book it there"
            break
    else:
        rest = _rest(db, res["restaurant_id"])
        alts = [r for r in db.execute(
            "SELECT * FROM restaurants WHERE city = ? AND cuisine = ? AND id != ?",
            (home["city"], home["cuisine"], home["id"])) if _free(db, r, old["date"], old["time"], {{SIZE}}, ign)]
        if rest["id"] not in [r["id"] for r in alts] or res["time"] != old["time"]:
            return False, "must move to a same-cuisine restaurant at the original time"
        if rest["rating"] < max(r["rating"] for r in alts):
            return False, "a better-rated same-cuisine restaurant had a table"
    tables = _free(db, _rest(db, res["restaurant_id"]), res["date"], res["time"], {{SIZE}}, ign)
    seats = db.execute("SELECT seats FROM dining_tables WHERE id = ?", (res["table_id"],)).fetchone()
    if seats["seats"] > min(t["seats"] for t in tables):
        return False, "a smaller free table would have seated the party"
    return True, "reservation moved correctly"
