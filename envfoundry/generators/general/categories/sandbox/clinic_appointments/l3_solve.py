

def solve(tools):
    p = tools.find_patient(name={{PATIENT}})
    busy = {a["start"] for a in p["appointments"]}
    docs = [d for d in tools.list_doctors(specialty={{SPEC}}, city=p["city"]) if d["fee"] <= {{MAX_FEE}}]
    slot = _earliest(tools, docs, p["insurer"],
                     lambda s: s["start"][11:] >= {{AFTER}} and s["start"] not in busy)
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
