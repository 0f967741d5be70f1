

def _rebook(tools, cancel):
    p = tools.find_patient(name={{PATIENT}})
    old = p["appointments"][0]
    doc = tools.get_doctor(doctor_id=old["doctor_id"])
    if cancel:
        tools.cancel_appointment(appointment_id=old["appointment_id"])
    others = [d for d in tools.list_doctors(specialty=doc["specialty"], city=p["city"])
              if d["id"] != doc["id"]]
    same = [d for d in others if d["clinic_id"] == doc["clinic_id"]]
    ok = lambda s: s["start"][:10] >= old["start"][:10]
    slot = _earliest(tools, same, p["insurer"], ok) or _earliest(tools, others, p["insurer"], ok)
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
