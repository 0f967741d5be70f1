from ..helpers import _malformed
from .l4_params import BUDGET, CITY, PATIENTS, SPEC
from .verify_lib import _booked


def verify(answer, db):
    problem = _malformed(answer, appointment_ids="list")
    if problem or len(answer["appointment_ids"]) != 3:
        return False, problem or "three appointment ids are expected"
    chosen = []
    for name, aid in zip(PATIENTS, answer["appointment_ids"], strict=True):
        _, a, problem = _booked(db, {"appointment_id": aid}, name, [], SPEC)
        if a is None or a["city"] != CITY:
            return False, f"{name}: {problem or 'the appointment is not in ' + CITY}"
        chosen.append(a)
    if len({a["clinic_id"] for a in chosen}) != 1 or len({a["start"][:10] for a in chosen}) != 1:
        return False, "all three appointments must be at one clinic on one date"
    if len({a["start"] for a in chosen}) != 3:
        return False, "the appointments must not overlap"
    total = sum(a["fee"] for a in chosen)
    if total > BUDGET:
        return False, f"total fee {total} exceeds the budget"
    return True, f"family visit booked for {total}"
