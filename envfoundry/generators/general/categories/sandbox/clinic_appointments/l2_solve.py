

def solve(tools):
    p = tools.find_patient(name={{PATIENT}})
    slot = _earliest(tools, tools.list_doctors(specialty={{SPEC}}), p["insurer"])
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
