

def solve(tools):
    # ignores the patient's insurance
    p = tools.find_patient(name={{PATIENT}})
    slot = _earliest(tools, tools.list_doctors(specialty={{SPEC}}), None)
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
