

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("appointment_id"), int):
        return False, "answer must be an object with an integer 'appointment_id'"
    p = _patient(db, {{PATIENT}})
    new = _new(db, p["id"], {{BEFORE}})
    if len(new) != 1 or new[0]["id"] != answer["appointment_id"]:
        return False, "exactly one new appointment, the one answered, is expected"
    a = new[0]
    if a["specialty"] != {{SPEC}} or not _accepts(db, a["doctor_id"], p["insurer"]):
        return False, "the doctor has the wrong specialty or does not accept the insurance"
    if a["city"] != p["city"] or a["fee"] > {{MAX_FEE}} or a["start"][11:] < {{AFTER}}:
        return False, "the appointment breaks the city, fee or afternoon rule"
    busy = {x["start"] for x in _active(db, p["id"]) if x["id"] != a["id"]}
    if a["start"] in busy:
        return False, "the appointment clashes with one of the patient's appointments"
    for c in _candidates(
        db, "d.specialty = ? AND c.city = ? AND d.fee <= ? AND EXISTS (SELECT 1 FROM"
        " doctor_insurers i WHERE i.doctor_id = d.id AND i.insurer = ?)",
        ({{SPEC}}, p["city"], {{MAX_FEE}}, p["insurer"]), [a["slot_id"]]):
        if c["start"][11:] >= {{AFTER}} and c["start"] not in busy:
            if c["start"] < a["start"]:
                return False, f"an earlier eligible slot existed at {c['start']}"
            break
    return True, "earliest eligible afternoon appointment booked"
