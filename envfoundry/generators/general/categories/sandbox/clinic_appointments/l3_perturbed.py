

def solve(tools):
    # forgets to check the patient's existing appointments
    p = tools.find_patient(name={{PATIENT}})
    docs = [d for d in tools.list_doctors(specialty={{SPEC}}, city=p["city"]) if d["fee"] <= {{MAX_FEE}}]
    slot = _earliest(tools, docs, p["insurer"], lambda s: s["start"][11:] >= {{AFTER}})
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
