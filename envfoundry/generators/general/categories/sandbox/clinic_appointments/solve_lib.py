"""Solution helpers: the earliest open slot among doctors, booking it."""


def _takes(tools, doctor, insurer):
    return insurer in tools.get_doctor(doctor_id=doctor["id"])["accepted_insurers"]


def _earliest(tools, docs, insurer, ok=lambda slot: True):
    """The earliest open slot passing ``ok`` of the doctors (taking ``insurer``, if given)."""
    best = None
    for d in docs:
        if insurer is not None and not _takes(tools, d, insurer):
            continue
        for slot in tools.list_open_slots(doctor_id=d["id"]):
            if ok(slot) and (best is None or slot["start"] < best["start"]):
                best = slot
    return best


def _book(tools, patient, slot_id):
    res = tools.book_appointment(patient_id=patient["id"], slot_id=slot_id)
    return res["appointment_id"]
