from .l3_params import PATIENT
from .solve_lib import _book, _earliest


def _rebook(tools, cancel):
    """Book the earliest slot (from the old day on) with another doctor of the specialty in
    the patient's city, preferring the same clinic; cancel the old appointment first."""
    p = tools.find_patient(name=PATIENT)
    old = p["appointments"][0]
    doc = tools.get_doctor(doctor_id=old["doctor_id"])
    if cancel:
        tools.cancel_appointment(appointment_id=old["appointment_id"])
    docs = tools.list_doctors(specialty=doc["specialty"], city=p["city"])
    others = [d for d in docs if d["id"] != doc["id"]]
    same = [d for d in others if d["clinic_id"] == doc["clinic_id"]]

    def ok(slot):
        return slot["start"][:10] >= old["start"][:10]

    slot = _earliest(tools, same, p["insurer"], ok) or _earliest(tools, others, p["insurer"], ok)
    return {"appointment_id": _book(tools, p, slot["slot_id"])}
