

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("appointment_ids"), list):
        return False, "answer must be an object with a list 'appointment_ids'"
    ids = answer["appointment_ids"]
    if len(ids) != 3:
        return False, "three appointment ids are expected"
    chosen = []
    for name, aid in zip({{PATIENTS}}, ids):
        p = _patient(db, name)
        new = _new(db, p["id"], [])
        if len(new) != 1 or new[0]["id"] != aid:
            return False, f"{name} must have exactly one new appointment, the one answered"
        a = new[0]
        if a["specialty"] != {{SPEC}} or a["city"] != {{CITY}} or not _accepts(db, a["doctor_id"], p["insurer"]):
            return False, f"{name}'s appointment breaks the specialty, city or insurance rule"
        chosen.append(a)
    if len({a["clinic_id"] for a in chosen}) != 1 or len({a["start"][:10] for a in chosen}) != 1:
        return False, "all three appointments must be at one clinic on one date"
    if len({a["start"] for a in chosen}) != 3:
        return False, "the appointments must not overlap"
    total = sum(a["fee"] for a in chosen)
    if total > {{BUDGET}}:
        return False, f"total fee {total} exceeds the budget"
    return True, f"family visit booked for {total}"
