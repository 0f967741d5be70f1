

def solve(tools):
    # a valid-looking family visit, but it never checks the fee budget
    pats, plans = _plans(tools, {{PATIENTS}}, {{SPEC}}, {{CITY}})
    fee, chosen = max(plans, key=lambda p: p[0])
    ids = [tools.book_appointment(patient_id=p["id"], slot_id=c[2])["appointment_id"]
           for p, c in zip(pats, chosen)]
    return {"appointment_ids": ids}
