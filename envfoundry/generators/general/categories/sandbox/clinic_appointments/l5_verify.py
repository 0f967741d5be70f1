

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("appointment_id"), int):
        return False, "answer must be an object with an integer 'appointment_id'"
    old = db.execute("SELECT a.status, s.status AS slot_status, s.start, s.doctor_id, d.clinic_id,"
                     " d.specialty FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN doctors d"
                     " ON d.id = s.doctor_id WHERE a.id = ?", ({{OLD_ID}},)).fetchone()
    if old["status"] != "cancelled" or old["slot_status"] != "open":
        return False, "the original appointment must be cancelled and its slot reopened"
    p = _patient(db, {{PATIENT}})
    new = _active(db, p["id"])
    if len(new) != 1 or new[0]["id"] != answer["appointment_id"]:
        return False, "the patient must hold exactly one active appointment, the one answered"
    a = new[0]
    if a["doctor_id"] == old["doctor_id"] or a["specialty"] != old["specialty"]:
        return False, "a different doctor of the same specialty is required"
    if a["city"] != p["city"] or not _accepts(db, a["doctor_id"], p["insurer"]) or a["start"][:10] < old["start"][:10]:
        return False, "the appointment breaks the city, insurance or date rule"
    where = ("d.specialty = ? AND c.city = ? AND d.id != ? AND substr(s.start, 1, 10) >= ? AND EXISTS"
             " (SELECT 1 FROM doctor_insurers i WHERE i.doctor_id = d.id AND i.insurer = ?)")
    cands = _candidates(db, where, (old["specialty"], p["city"], old["doctor_id"], old["start"][:10],
                                    p["insurer"]), [a["slot_id"]])
    same = [c for c in cands if c["clinic_id"] == old["clinic_id"]]
    pool = same or cands
    if same and a["clinic_id"] != old["clinic_id"]:
        return False, "a doctor at the same clinic was available"
    if a["start"] > pool[0]["start"]:
        return False, f"an earlier eligible slot existed at {pool[0]['start']}"
    return True, "appointment moved correctly"
