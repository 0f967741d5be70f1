

def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("reservation_id")):
        return False, "answer must be an object with an integer 'reservation_id'"
    old = db.execute("SELECT r.*, c.branch_id, c.car_class, c.daily_rate, u.age FROM reservations r"
                     " JOIN cars c ON c.id = r.car_id JOIN customers u ON u.id = r.customer_id"
                     " WHERE r.id = ?", ({{OLD_ID}},)).fetchone()
    new = _new(db, {{NAME}})
    extendable = _free(db, old["car_id"], {{OLD_END}}, {{NEW_END}}, ({{OLD_ID}},))
    if extendable:
        if answer["reservation_id"] != {{OLD_ID}} or new:
            return False, "the car was free: the same reservation must be extended"
        if old["status"] != "active" or old["end_date"] != {{NEW_END}}:
            return False, "the reservation must stay active and end on {{NEW_END}}"
        broken = _sound(db, old)
        return (False, broken) if broken else (True, "reservation extended")
    if old["status"] != "cancelled":
        return False, "the car was taken: the old reservation must be cancelled"
    if len(new) != 1 or new[0]["id"] != answer["reservation_id"]:
        return False, "expected exactly one new active reservation, the answered one"
    r = new[0]
    if (r["start_date"], r["end_date"]) != (old["start_date"], {{NEW_END}}):
        return False, "the new reservation must cover the original start to {{NEW_END}}"
    if r["branch_id"] != old["branch_id"] or r["car_class"] != old["car_class"]:
        return False, "the new car must be of the same class at the same branch"
    broken = _sound(db, r)
    if broken:
        return False, broken
    ok = [c for c in _cars(db, "c.branch_id = ? AND c.car_class = ?", (old["branch_id"], old["car_class"]))
          if _free(db, c["id"], old["start_date"], {{NEW_END}}, (r["id"],))]
    if r["daily_rate"] > min(c["daily_rate"] for c in ok):
        return False, "a cheaper car of the same class was free"
    return True, "rebooked the cheapest car of the same class"
