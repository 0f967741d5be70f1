from .l4_params import PATIENT, SPEC
from .solve_lib import _book, _earliest


def _book_earliest(tools, check_insurance):
    p = tools.find_patient(name=PATIENT)
    insurer = p["insurer"] if check_insurance else None
    slot = _earliest(tools, tools.list_doctors(specialty=SPEC), insurer)
    return {"appointment_id": _book(tools, p, slot["slot_id"])}
