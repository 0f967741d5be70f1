
def _patient(db, name):
    return db.execute("SELECT * FROM patients WHERE name = ?", (name,)).fetchone()


def _active(db, pid):
    return db.execute(
        "SELECT a.id, a.slot_id, s.start, s.doctor_id, d.specialty, d.fee, d.clinic_id, c.city"
        " FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN doctors d ON d.id = s.doctor_id"
        " JOIN clinics c ON c.id = d.clinic_id WHERE a.patient_id = ? AND a.status = 'active'"
        " ORDER BY a.id", (pid,)).fetchall()


def _accepts(db, doctor_id, insurer):
    return db.execute("SELECT 1 FROM doctor_insurers WHERE doctor_id = ? AND insurer = ?",
                      (doctor_id, insurer)).fetchone() is not None


def _new(db, pid, before):
    # the patient's active appointments that did not exist before the task
    return [a for a in _active(db, pid) if a["id"] not in before]


def _candidates(db, where, args, taken):
    # slots free before the task (open now, or taken by the task's own bookings)
    return db.execute(
        "SELECT s.id, s.start, s.doctor_id, d.fee, d.clinic_id, c.city FROM slots s"
        " JOIN doctors d ON d.id = s.doctor_id JOIN clinics c ON c.id = d.clinic_id"
        " WHERE (s.status = 'open' OR s.id IN (%s)) AND %s ORDER BY s.start"
        % (",".join(str(int(t)) for t in taken) or "-1", where), args).fetchall()
