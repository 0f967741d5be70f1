
def _earliest(tools, docs, insurer, ok=lambda slot: True):
    best = None
    for d in docs:
        if insurer is not None and insurer not in tools.get_doctor(doctor_id=d["id"])["accepted_insurers"]:
            continue
        for slot in tools.list_open_slots(doctor_id=d["id"]):
            if ok(slot) and (best is None or slot["start"] < best["start"]):
                best = slot
    return best
