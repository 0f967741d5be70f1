

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
    first = _candidates(
        db, "d.specialty = ? AND EXISTS (SELECT 1 FROM doctor_insurers i WHERE"
        " i.doctor_id = d.id AND i.insurer = ?)", ({{SPEC}}, p["insurer"]), [a["slot_id"]])[0]
    if a["start"] > first["start"]:
        return False, f"an earlier eligible slot existed at {first['start']}"
    return True, "earliest eligible appointment booked"
