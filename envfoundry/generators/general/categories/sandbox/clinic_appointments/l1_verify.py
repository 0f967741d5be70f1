from ..helpers import _exact
from .l1_params import CITY, INSURER, SPEC


def verify(answer, db):
    rows = db.execute(
        "SELECT d.id FROM doctors d JOIN clinics c ON c.id = d.clinic_id JOIN doctor_insurers i"
        " ON i.doctor_id = d.id WHERE d.specialty = ? AND c.city = ? AND i.insurer = ?"
        " ORDER BY d.id",
        (SPEC, CITY, INSURER),
    )
    return _exact(answer, "doctor_ids", [r["id"] for r in rows], "exact set of doctors")
