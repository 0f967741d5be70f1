"""Verifier helpers: a patient's active appointments, the slots open before the task
(``before``) and the changes the task may make."""

from ..helpers import _the_one, _unexpected_change


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


def _candidates(before, where, args):
    # the slots open before the task, earliest first
    return before.execute(
        "SELECT s.id, s.start, s.doctor_id, d.fee, d.clinic_id, c.city FROM slots s"
        " JOIN doctors d ON d.id = s.doctor_id JOIN clinics c ON c.id = d.clinic_id"
        f" WHERE s.status = 'open' AND {where} ORDER BY s.start, s.id",
        args,
    ).fetchall()


def _collateral(changes, pids, slots, *extra):
    """Why ``changes`` hold more than new active appointments of ``pids`` in ``slots`` and
    those slots being booked (plus ``extra`` patterns), or None."""
    return _unexpected_change(
        changes,
        (
            "insert",
            "appointments",
            {"patient_id": set(pids), "slot_id": set(slots), "status": "active"},
        ),
        ("update", "slots", {"id": set(slots)}, ["status"]),
        *extra,
    )


ACCEPTS = "EXISTS (SELECT 1 FROM doctor_insurers i WHERE i.doctor_id = d.id AND i.insurer = ?)"
