"""Verifier helpers: a patient's active appointments and the slots free before the task."""

from ..helpers import _the_one


def _patient(db, name):
    return db.execute("SELECT * FROM patients WHERE name = ?", (name,)).fetchone()


def _active(db, pid):
    return db.execute(
        "SELECT a.id, a.slot_id, s.start, s.doctor_id, d.specialty, d.fee, d.clinic_id, c.city"
        " FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN doctors d ON d.id = s.doctor_id"
        " JOIN clinics c ON c.id = d.clinic_id WHERE a.patient_id = ? AND a.status = 'active'"
        " ORDER BY a.id",
        (pid,),
    ).fetchall()


def _accepts(db, doctor_id, insurer):
    row = db.execute(
        "SELECT 1 FROM doctor_insurers WHERE doctor_id = ? AND insurer = ?", (doctor_id, insurer)
    ).fetchone()
    return row is not None


def _new(db, pid, before):
    # the patient's active appointments that did not exist before the task
    return [a for a in _active(db, pid) if a["id"] not in before]


def _booked(db, answer, name, before, spec):
    """The patient and their one new appointment (the answered one, with a doctor of ``spec``
    who takes their insurance), or None and why."""
    p = _patient(db, name)
    a = _the_one(_new(db, p["id"], before), answer, "appointment_id")
    if a is None:
        return None, None, "exactly one new appointment, the one answered, is expected"
    if a["specialty"] != spec or not _accepts(db, a["doctor_id"], p["insurer"]):
        return None, None, "the doctor has the wrong specialty or does not accept the insurance"
    return p, a, ""


def _candidates(db, where, args, taken):
    # slots free before the task (open now, or taken by the task's own bookings)
    ids = ",".join(str(int(t)) for t in taken) or "-1"
    return db.execute(
        "SELECT s.id, s.start, s.doctor_id, d.fee, d.clinic_id, c.city FROM slots s"
        " JOIN doctors d ON d.id = s.doctor_id JOIN clinics c ON c.id = d.clinic_id"
        f" WHERE (s.status = 'open' OR s.id IN ({ids})) AND {where} ORDER BY s.start",
        args,
    ).fetchall()


ACCEPTS = "EXISTS (SELECT 1 FROM doctor_insurers i WHERE i.doctor_id = d.id AND i.insurer = ?)"
