

def verify(answer, db):
    if not isinstance(answer, dict) or not _int_list(answer.get("reservation_ids"), 2):
        return False, "answer must be an object with a list of two reservation ids"
    new = {r["id"]: r for r in _new(db, {{NAME}})}
    if sorted(new) != sorted(answer["reservation_ids"]):
        return False, "the answered ids must be exactly the customer's new reservations"
    rows = [new[i] for i in answer["reservation_ids"]]
    for r, (city, start, end) in zip(rows, {{LEGS}}):
        if (r["city"], r["start_date"], r["end_date"]) != (city, start, end):
            return False, f"the reservations must be in {city} from {start} to {end}, in order"
        if r["seats"] < {{SEATS}}:
            return False, "every car must seat {{SEATS}}"
        broken = _sound(db, r)
        if broken:
            return False, broken
    if rows[0]["car_class"] != rows[1]["car_class"]:
        return False, "both cars must be of the same class"
    total = rows[0]["total_price"] + rows[1]["total_price"]
    if total > {{BUDGET}}:
        return False, f"the two rentals cost {total}, over {{BUDGET}}"
    return True, "two-city trip within budget"
