"""Clinic appointment tools: doctors, insurance, open slots, patients and booking."""


def _int(value, what):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} must be an integer")
    return value


def _doctor_row(db, doctor_id):
    row = db.execute(
        "SELECT d.id, d.name, d.specialty, d.fee, d.clinic_id, c.name AS clinic, c.city"
        " FROM doctors d JOIN clinics c ON c.id = d.clinic_id WHERE d.id = ?",
        (_int(doctor_id, "doctor_id"),),
    ).fetchone()
    if row is None:
        raise ValueError(f"no doctor with id {doctor_id}")
    return dict(row)


def list_doctors(db, specialty=None, city=None):
    """Doctors, optionally filtered by specialty and by clinic city."""
    sql = ("SELECT d.id, d.name, d.specialty, d.fee, d.clinic_id, c.name AS clinic, c.city"
           " FROM doctors d JOIN clinics c ON c.id = d.clinic_id WHERE 1 = 1")
    args = []
    for col, value in (("d.specialty", specialty), ("c.city", city)):
        if value is not None:
            if not isinstance(value, str):
                raise ValueError("specialty and city must be strings")
            sql += f" AND {col} = ?"
            args.append(value)
    return [dict(r) for r in db.execute(sql + " ORDER BY d.id", args).fetchall()]


def get_doctor(db, doctor_id):
    """One doctor with clinic, fee and the insurers the doctor accepts."""
    doc = _doctor_row(db, doctor_id)
    doc["accepted_insurers"] = [
        r["insurer"] for r in db.execute(
            "SELECT insurer FROM doctor_insurers WHERE doctor_id = ? ORDER BY insurer", (doctor_id,)
        ).fetchall()
    ]
    return doc


def list_open_slots(db, doctor_id, date=None):
    """Open 30-minute slots of a doctor (start is local 'YYYY-MM-DD HH:MM'), earliest first."""
    _doctor_row(db, doctor_id)
    sql = "SELECT id AS slot_id, start, duration_min FROM slots WHERE doctor_id = ? AND status = 'open'"
    args = [doctor_id]
    if date is not None:
        if not isinstance(date, str) or len(date) != 10:
            raise ValueError("date must be 'YYYY-MM-DD'")
        sql += " AND substr(start, 1, 10) = ?"
        args.append(date)
    return [dict(r) for r in db.execute(sql + " ORDER BY start, id", args).fetchall()]


def find_patient(db, name):
    """A patient by exact full name, with insurer, city and active appointments."""
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    row = db.execute("SELECT * FROM patients WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no patient named {name!r}")
    out = dict(row)
    out["appointments"] = [
        dict(r) for r in db.execute(
            "SELECT a.id AS appointment_id, s.doctor_id, s.start, s.duration_min FROM appointments a"
            " JOIN slots s ON s.id = a.slot_id WHERE a.patient_id = ? AND a.status = 'active'"
            " ORDER BY s.start", (row["id"],)
        ).fetchall()
    ]
    return out


def book_appointment(db, patient_id, slot_id):
    """Book an open slot for a patient. Does not check insurance or the patient's calendar."""
    if db.execute("SELECT 1 FROM patients WHERE id = ?", (_int(patient_id, "patient_id"),)).fetchone() is None:
        raise ValueError(f"no patient with id {patient_id}")
    slot = db.execute("SELECT * FROM slots WHERE id = ?", (_int(slot_id, "slot_id"),)).fetchone()
    if slot is None:
        raise ValueError(f"no slot with id {slot_id}")
    if slot["status"] != "open":
        raise ValueError(f"slot {slot_id} is not open")
    db.execute("UPDATE slots SET status = 'booked' WHERE id = ?", (slot_id,))
    cur = db.execute(
        "INSERT INTO appointments (patient_id, slot_id, status) VALUES (?, ?, 'active')",
        (patient_id, slot_id),
    )
    return {"appointment_id": cur.lastrowid, "patient_id": patient_id, "slot_id": slot_id,
            "doctor_id": slot["doctor_id"], "start": slot["start"]}
