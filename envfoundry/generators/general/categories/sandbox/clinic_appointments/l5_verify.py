from ..helpers import _the_one
from .l5_params import OLD_ID, PATIENT
from .verify_lib import ACCEPTS, _accepts, _active, _candidates, _patient


def _pool(db, old, p, a):
    """The eligible slots free before the task: at the old clinic when there are any."""
    where = "d.specialty = ? AND c.city = ? AND d.id != ? AND substr(s.start, 1, 10) >= ? AND "
    args = (old["specialty"], p["city"], old["doctor_id"], old["start"][:10], p["insurer"])
    cands = _candidates(db, where + ACCEPTS, args, [a["slot_id"]])
    same = [c for c in cands if c["clinic_id"] == old["clinic_id"]]
    return same, same or cands


def _rules(db, old, p, a):
    if a["doctor_id"] == old["doctor_id"] or a["specialty"] != old["specialty"]:
        return "a different doctor of the same specialty is required"
    if (
        a["city"] != p["city"]
        or not _accepts(db, a["doctor_id"], p["insurer"])
        or a["start"][:10] < old["start"][:10]
    ):
        return "the appointment breaks the city, insurance or date rule"
    same, pool = _pool(db, old, p, a)
    if same and a["clinic_id"] != old["clinic_id"]:
        return "a doctor at the same clinic was available"
    if a["start"] > pool[0]["start"]:
        return f"an earlier eligible slot existed at {pool[0]['start']}"
    return ""


def verify(answer, db):
    old = db.execute(
        "SELECT a.status, s.status AS slot_status, s.start, s.doctor_id, d.clinic_id,"
        " d.specialty FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN doctors d"
        " ON d.id = s.doctor_id WHERE a.id = ?",
        (OLD_ID,),
    ).fetchone()
    if old["status"] != "cancelled" or old["slot_status"] != "open":
        return False, "the original appointment must be cancelled and its slot reopened"
    p = _patient(db, PATIENT)
    a = _the_one(_active(db, p["id"]), answer, "appointment_id")
    if a is None:
        return False, "the patient must hold exactly one active appointment, the one answered"
    problem = _rules(db, old, p, a)
    return (False, problem) if problem else (True, "appointment moved correctly")
