from ..helpers import _the_one
from .l3_params import OLD_ID, PATIENT
from .verify_lib import ACCEPTS, _accepts, _active, _candidates, _collateral, _patient


def _pool(before, old, p):
    """The eligible slots open before the task: at the old clinic when there are any."""
    where = "d.specialty = ? AND c.city = ? AND d.id != ? AND substr(s.start, 1, 10) >= ? AND "
    args = (old["specialty"], p["city"], old["doctor_id"], old["start"][:10], p["insurer"])
    cands = _candidates(before, where + ACCEPTS, args)
    same = [c for c in cands if c["clinic_id"] == old["clinic_id"]]
    return same, same or cands


def _rules(db, before, old, p, a):
    if a["doctor_id"] == old["doctor_id"] or a["specialty"] != old["specialty"]:
        return "a different doctor of the same specialty is required"
    if (
        a["city"] != p["city"]
        or not _accepts(db, a["doctor_id"], p["insurer"])
        or a["start"][:10] < old["start"][:10]
    ):
        return "the appointment breaks the city, insurance or date rule"
    same, pool = _pool(before, old, p)
    if same and a["clinic_id"] != old["clinic_id"]:
        return "a doctor at the same clinic was available"
    if a["start"] > pool[0]["start"]:
        return "an earlier eligible slot was open"
    return ""


def verify(answer, db, before, changes):
    old = db.execute(
        "SELECT a.status, a.slot_id, s.status AS slot_status, s.start, s.doctor_id, d.clinic_id,"
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
    problem = _collateral(
        changes,
        [p["id"]],
        [a["slot_id"]],
        ("update", "appointments", {"id": OLD_ID}, ["status"]),
        ("update", "slots", {"id": old["slot_id"]}, ["status"]),
    )
    if problem:
        return False, problem
    problem = _rules(db, before, old, p, a)
    return (False, problem) if problem else (True, "appointment moved correctly")
