from .l2_params import AFTER, MAX_FEE, PATIENT, SPEC
from .solve_lib import _book, _earliest


def _book_afternoon(tools, avoid_clashes):
    p = tools.find_patient(name=PATIENT)
    busy = {a["start"] for a in p["appointments"]} if avoid_clashes else set()
    docs = tools.list_doctors(specialty=SPEC, city=p["city"])
    docs = [d for d in docs if d["fee"] <= MAX_FEE]
    slot = _earliest(
        tools, docs, p["insurer"], lambda s: s["start"][11:] >= AFTER and s["start"] not in busy
    )
    return {"appointment_id": _book(tools, p, slot["slot_id"])}
