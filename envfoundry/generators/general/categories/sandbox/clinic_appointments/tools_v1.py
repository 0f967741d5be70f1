"""Clinic appointment tools: doctors, insurance, open slots, patients and booking."""

from ..helpers import _by_id, _canon, _column, _date_arg, _dicts, _insert, _int_arg, _named

_DOCTORS = (
    "SELECT d.id, d.name, d.specialty, d.fee, d.clinic_id, c.name AS clinic, c.city"
    " FROM doctors d JOIN clinics c ON c.id = d.clinic_id"
)


def _doctor_row(db, doctor_id):
    row = db.execute(_DOCTORS + " WHERE d.id = ?", (_int_arg(doctor_id, "doctor_id"),)).fetchone()
    if row is None:
        raise ValueError(f"no doctor with id {doctor_id}")
    return dict(row)


def list_doctors(db, specialty=None, city=None):
    """Doctors, optionally filtered by specialty and by clinic city."""
    sql = _DOCTORS + " WHERE 1 = 1"
    args = []
    filters = (("d.specialty", "doctors", specialty), ("c.city", "clinics", city))
    for col, table, value in filters:
        if value is not None:
            if not isinstance(value, str):
                raise ValueError("specialty and city must be strings")
            sql += f" AND {col} = ?"
            args.append(_canon(db, table, col[2:], value))
    return _dicts(db, sql + " ORDER BY d.id", args)


def get_doctor(db, doctor_id):
    """One doctor with clinic, fee and the insurers the doctor accepts."""
    doc = _doctor_row(db, doctor_id)
    sql = "SELECT insurer FROM doctor_insurers WHERE doctor_id = ? ORDER BY insurer"
    doc["accepted_insurers"] = _column(db, sql, (doctor_id,))
    return doc


def list_open_slots(db, doctor_id, date=None):
    """Open 30-minute slots of a doctor (start is local 'YYYY-MM-DD HH:MM'), earliest first."""
    _doctor_row(db, doctor_id)
    sql = (
        "SELECT id AS slot_id, start, duration_min FROM slots WHERE doctor_id = ?"
        " AND status = 'open'"
    )
    args = [doctor_id]
    if date is not None:
        sql += " AND substr(start, 1, 10) = ?"
        args.append(_date_arg(date, "date"))
    return _dicts(db, sql + " ORDER BY start, id", args)


def find_patient(db, name):
    """A patient by exact full name, with insurer, city and active appointments."""
    out = _named(db, "patients", name, "patient")
    out["appointments"] = _dicts(
        db,
        "SELECT a.id AS appointment_id, s.doctor_id, s.start, s.duration_min FROM appointments a"
        " JOIN slots s ON s.id = a.slot_id WHERE a.patient_id = ? AND a.status = 'active'"
        " ORDER BY s.start",
        (out["id"],),
    )
    return out


def book_appointment(db, patient_id, slot_id):
    """Book an open slot for a patient. Does not check insurance or the patient's calendar."""
    _by_id(db, "patients", patient_id, "patient_id")
    slot = _by_id(db, "slots", slot_id, "slot_id")
    if slot["status"] != "open":
        raise ValueError(f"slot {slot_id} is not open")
    db.execute("UPDATE slots SET status = 'booked' WHERE id = ?", (slot_id,))
    appointment = _insert(
        db, "appointments", patient_id=patient_id, slot_id=slot_id, status="active"
    )
    return {
        "appointment_id": appointment,
        "patient_id": patient_id,
        "slot_id": slot_id,
        "doctor_id": slot["doctor_id"],
        "start": slot["start"],
    }
