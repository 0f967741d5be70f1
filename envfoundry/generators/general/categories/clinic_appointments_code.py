"""Generated-code templates of the clinic_appointments category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec

SCHEMA_SQL = """
CREATE TABLE clinics (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,
  country TEXT NOT NULL);
CREATE TABLE doctors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, specialty TEXT NOT NULL,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id), fee REAL NOT NULL);
CREATE TABLE doctor_insurers (doctor_id INTEGER NOT NULL REFERENCES doctors(id),
  insurer TEXT NOT NULL, PRIMARY KEY (doctor_id, insurer));
CREATE TABLE slots (id INTEGER PRIMARY KEY, doctor_id INTEGER NOT NULL REFERENCES doctors(id),
  start TEXT NOT NULL, duration_min INTEGER NOT NULL, status TEXT NOT NULL);
CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT NOT NULL, insurer TEXT NOT NULL,
  city TEXT NOT NULL, birth_year INTEGER NOT NULL);
CREATE TABLE appointments (id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL
  REFERENCES patients(id), slot_id INTEGER NOT NULL REFERENCES slots(id),
  status TEXT NOT NULL);
"""

TOOLS_V1 = '''"""Clinic appointment tools: doctors, insurance, open slots, patients and booking."""


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
'''

TOOLS_V2_EXTRA = '''
def cancel_appointment(db, appointment_id):
    """Cancel an active appointment; its slot becomes open again."""
    row = db.execute("SELECT * FROM appointments WHERE id = ?", (_int(appointment_id, "appointment_id"),)).fetchone()
    if row is None:
        raise ValueError(f"no appointment with id {appointment_id}")
    if row["status"] != "active":
        raise ValueError(f"appointment {appointment_id} is already {row['status']}")
    db.execute("UPDATE appointments SET status = 'cancelled' WHERE id = ?", (appointment_id,))
    db.execute("UPDATE slots SET status = 'open' WHERE id = ?", (row["slot_id"],))
    return {"appointment_id": appointment_id, "status": "cancelled"}
'''

TOOLS_V1_SPECS = (
    spec(
        "list_doctors",
        "List doctors (id, name, specialty, fee, clinic_id, clinic, city), optionally filtered "
        "by exact specialty and by the city of their clinic.",
        {"specialty": {"type": "string"}, "city": {"type": "string"}},
    ),
    spec(
        "get_doctor",
        "One doctor's details, including accepted_insurers (list of insurer names).",
        {"doctor_id": {"type": "integer"}},
        ["doctor_id"],
    ),
    spec(
        "list_open_slots",
        "Open 30-minute slots of a doctor, earliest first (slot_id, start 'YYYY-MM-DD HH:MM' "
        "local time, duration_min); optionally only on one date 'YYYY-MM-DD'.",
        {"doctor_id": {"type": "integer"}, "date": {"type": "string"}},
        ["doctor_id"],
    ),
    spec(
        "find_patient",
        "A patient by exact full name: id, insurer, city, birth_year and active appointments "
        "(appointment_id, doctor_id, start, duration_min).",
        {"name": {"type": "string", "minLength": 1}},
        ["name"],
    ),
    spec(
        "book_appointment",
        "Book an open slot for a patient. It only checks that the slot is open: insurance "
        "and clashes with the patient's other appointments are the caller's responsibility.",
        {"patient_id": {"type": "integer"}, "slot_id": {"type": "integer"}},
        ["patient_id", "slot_id"],
        mutates=True,
    ),
)

TOOLS_V2_SPECS = (
    spec(
        "cancel_appointment",
        "Cancel an active appointment by id; its slot becomes open again.",
        {"appointment_id": {"type": "integer"}},
        ["appointment_id"],
        mutates=True,
    ),
)

V_PRELUDE = """
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
"""

# ------------------------------------------------------------------ level 1: filter (read)

L1_SOLVE = """
def solve(tools):
    docs = tools.list_doctors(specialty={{SPEC}}, city={{CITY}})
    keep = [d["id"] for d in docs
            if {{INSURER}} in tools.get_doctor(doctor_id=d["id"])["accepted_insurers"]]
    return {"doctor_ids": sorted(keep)}
"""
L1_PERTURBED = """
def solve(tools):
    # forgets the insurance filter
    return {"doctor_ids": sorted(d["id"] for d in tools.list_doctors(specialty={{SPEC}}, city={{CITY}}))}
"""
L1_VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("doctor_ids"), list):
        return False, "answer must be an object with a list 'doctor_ids'"
    want = [r["id"] for r in db.execute(
        "SELECT d.id FROM doctors d JOIN clinics c ON c.id = d.clinic_id JOIN doctor_insurers i"
        " ON i.doctor_id = d.id WHERE d.specialty = ? AND c.city = ? AND i.insurer = ?"
        " ORDER BY d.id", ({{SPEC}}, {{CITY}}, {{INSURER}}))]
    if answer["doctor_ids"] != want:
        return False, f"expected the sorted ids {want}, got {answer['doctor_ids']}"
    return True, "exact set of doctors"
"""

# ------------------------------------------------------------------ level 2: earliest (write)

_S_EARLIEST = """
def _earliest(tools, docs, insurer, ok=lambda slot: True):
    best = None
    for d in docs:
        if insurer is not None and insurer not in tools.get_doctor(doctor_id=d["id"])["accepted_insurers"]:
            continue
        for slot in tools.list_open_slots(doctor_id=d["id"]):
            if ok(slot) and (best is None or slot["start"] < best["start"]):
                best = slot
    return best
"""

L2_SOLVE = (
    _S_EARLIEST
    + """

def solve(tools):
    p = tools.find_patient(name={{PATIENT}})
    slot = _earliest(tools, tools.list_doctors(specialty={{SPEC}}), p["insurer"])
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
"""
)
L2_PERTURBED = (
    _S_EARLIEST
    + """

def solve(tools):
    # ignores the patient's insurance
    p = tools.find_patient(name={{PATIENT}})
    slot = _earliest(tools, tools.list_doctors(specialty={{SPEC}}), None)
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
"""
)
L2_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("appointment_id"), int):
        return False, "answer must be an object with an integer 'appointment_id'"
    p = _patient(db, {{PATIENT}})
    new = _new(db, p["id"], {{BEFORE}})
    if len(new) != 1 or new[0]["id"] != answer["appointment_id"]:
        return False, "exactly one new appointment, the one answered, is expected"
    a = new[0]
    if a["specialty"] != {{SPEC}} or not _accepts(db, a["doctor_id"], p["insurer"]):
        return False, "the doctor has the wrong specialty or does not accept the insurance"
    first = _candidates(
        db, "d.specialty = ? AND EXISTS (SELECT 1 FROM doctor_insurers i WHERE"
        " i.doctor_id = d.id AND i.insurer = ?)", ({{SPEC}}, p["insurer"]), [a["slot_id"]])[0]
    if a["start"] > first["start"]:
        return False, f"an earlier eligible slot existed at {first['start']}"
    return True, "earliest eligible appointment booked"
"""
)

# ------------------------------------------------------------------ level 3: rules + calendar

L3_SOLVE = (
    _S_EARLIEST
    + """

def solve(tools):
    p = tools.find_patient(name={{PATIENT}})
    busy = {a["start"] for a in p["appointments"]}
    docs = [d for d in tools.list_doctors(specialty={{SPEC}}, city=p["city"]) if d["fee"] <= {{MAX_FEE}}]
    slot = _earliest(tools, docs, p["insurer"],
                     lambda s: s["start"][11:] >= {{AFTER}} and s["start"] not in busy)
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
"""
)
L3_PERTURBED = (
    _S_EARLIEST
    + """

def solve(tools):
    # forgets to check the patient's existing appointments
    p = tools.find_patient(name={{PATIENT}})
    docs = [d for d in tools.list_doctors(specialty={{SPEC}}, city=p["city"]) if d["fee"] <= {{MAX_FEE}}]
    slot = _earliest(tools, docs, p["insurer"], lambda s: s["start"][11:] >= {{AFTER}})
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
"""
)
L3_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("appointment_id"), int):
        return False, "answer must be an object with an integer 'appointment_id'"
    p = _patient(db, {{PATIENT}})
    new = _new(db, p["id"], {{BEFORE}})
    if len(new) != 1 or new[0]["id"] != answer["appointment_id"]:
        return False, "exactly one new appointment, the one answered, is expected"
    a = new[0]
    if a["specialty"] != {{SPEC}} or not _accepts(db, a["doctor_id"], p["insurer"]):
        return False, "the doctor has the wrong specialty or does not accept the insurance"
    if a["city"] != p["city"] or a["fee"] > {{MAX_FEE}} or a["start"][11:] < {{AFTER}}:
        return False, "the appointment breaks the city, fee or afternoon rule"
    busy = {x["start"] for x in _active(db, p["id"]) if x["id"] != a["id"]}
    if a["start"] in busy:
        return False, "the appointment clashes with one of the patient's appointments"
    for c in _candidates(
        db, "d.specialty = ? AND c.city = ? AND d.fee <= ? AND EXISTS (SELECT 1 FROM"
        " doctor_insurers i WHERE i.doctor_id = d.id AND i.insurer = ?)",
        ({{SPEC}}, p["city"], {{MAX_FEE}}, p["insurer"]), [a["slot_id"]]):
        if c["start"][11:] >= {{AFTER}} and c["start"] not in busy:
            if c["start"] < a["start"]:
                return False, f"an earlier eligible slot existed at {c['start']}"
            break
    return True, "earliest eligible afternoon appointment booked"
"""
)

# ------------------------------------------------------------------ level 4: family, one visit

_S_FAMILY = """
def _plans(tools, names, spec, city):
    pats = [tools.find_patient(name=n) for n in names]
    docs = [tools.get_doctor(doctor_id=d["id"]) for d in tools.list_doctors(specialty=spec, city=city)]
    by_key = {}
    for d in docs:
        for s in tools.list_open_slots(doctor_id=d["id"]):
            by_key.setdefault((d["clinic_id"], s["start"][:10]), []).append((d, s))
    plans = []
    for key in sorted(by_key):
        options = [[(d["fee"], s["start"], s["slot_id"]) for d, s in by_key[key]
                    if p["insurer"] in d["accepted_insurers"]] for p in pats]

        def walk(i, chosen):
            if i == len(options):
                plans.append((sum(c[0] for c in chosen), list(chosen)))
                return
            for opt in options[i]:
                if all(opt[1] != c[1] for c in chosen):
                    walk(i + 1, chosen + [opt])

        walk(0, [])
    return pats, plans
"""

L4_SOLVE = (
    _S_FAMILY
    + """

def solve(tools):
    pats, plans = _plans(tools, {{PATIENTS}}, {{SPEC}}, {{CITY}})
    fee, chosen = min(plans, key=lambda p: p[0])
    ids = [tools.book_appointment(patient_id=p["id"], slot_id=c[2])["appointment_id"]
           for p, c in zip(pats, chosen)]
    return {"appointment_ids": ids}
"""
)
L4_PERTURBED = (
    _S_FAMILY
    + """

def solve(tools):
    # a valid-looking family visit, but it never checks the fee budget
    pats, plans = _plans(tools, {{PATIENTS}}, {{SPEC}}, {{CITY}})
    fee, chosen = max(plans, key=lambda p: p[0])
    ids = [tools.book_appointment(patient_id=p["id"], slot_id=c[2])["appointment_id"]
           for p, c in zip(pats, chosen)]
    return {"appointment_ids": ids}
"""
)
L4_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("appointment_ids"), list):
        return False, "answer must be an object with a list 'appointment_ids'"
    ids = answer["appointment_ids"]
    if len(ids) != 3:
        return False, "three appointment ids are expected"
    chosen = []
    for name, aid in zip({{PATIENTS}}, ids):
        p = _patient(db, name)
        new = _new(db, p["id"], [])
        if len(new) != 1 or new[0]["id"] != aid:
            return False, f"{name} must have exactly one new appointment, the one answered"
        a = new[0]
        if a["specialty"] != {{SPEC}} or a["city"] != {{CITY}} or not _accepts(db, a["doctor_id"], p["insurer"]):
            return False, f"{name}'s appointment breaks the specialty, city or insurance rule"
        chosen.append(a)
    if len({a["clinic_id"] for a in chosen}) != 1 or len({a["start"][:10] for a in chosen}) != 1:
        return False, "all three appointments must be at one clinic on one date"
    if len({a["start"] for a in chosen}) != 3:
        return False, "the appointments must not overlap"
    total = sum(a["fee"] for a in chosen)
    if total > {{BUDGET}}:
        return False, f"total fee {total} exceeds the budget"
    return True, f"family visit booked for {total}"
"""
)

# ------------------------------------------------------------------ level 5: rebook (toolset v2)

_S_REBOOK = (
    _S_EARLIEST
    + """

def _rebook(tools, cancel):
    p = tools.find_patient(name={{PATIENT}})
    old = p["appointments"][0]
    doc = tools.get_doctor(doctor_id=old["doctor_id"])
    if cancel:
        tools.cancel_appointment(appointment_id=old["appointment_id"])
    others = [d for d in tools.list_doctors(specialty=doc["specialty"], city=p["city"])
              if d["id"] != doc["id"]]
    same = [d for d in others if d["clinic_id"] == doc["clinic_id"]]
    ok = lambda s: s["start"][:10] >= old["start"][:10]
    slot = _earliest(tools, same, p["insurer"], ok) or _earliest(tools, others, p["insurer"], ok)
    res = tools.book_appointment(patient_id=p["id"], slot_id=slot["slot_id"])
    return {"appointment_id": res["appointment_id"]}
"""
)
L5_SOLVE = (
    _S_REBOOK
    + """

def solve(tools):
    return _rebook(tools, True)
"""
)
L5_PERTURBED = (
    _S_REBOOK
    + """

def solve(tools):
    # books the replacement but leaves the old appointment in place
    return _rebook(tools, False)
"""
)
L5_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("appointment_id"), int):
        return False, "answer must be an object with an integer 'appointment_id'"
    old = db.execute("SELECT a.status, s.status AS slot_status, s.start, s.doctor_id, d.clinic_id,"
                     " d.specialty FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN doctors d"
                     " ON d.id = s.doctor_id WHERE a.id = ?", ({{OLD_ID}},)).fetchone()
    if old["status"] != "cancelled" or old["slot_status"] != "open":
        return False, "the original appointment must be cancelled and its slot reopened"
    p = _patient(db, {{PATIENT}})
    new = _active(db, p["id"])
    if len(new) != 1 or new[0]["id"] != answer["appointment_id"]:
        return False, "the patient must hold exactly one active appointment, the one answered"
    a = new[0]
    if a["doctor_id"] == old["doctor_id"] or a["specialty"] != old["specialty"]:
        return False, "a different doctor of the same specialty is required"
    if a["city"] != p["city"] or not _accepts(db, a["doctor_id"], p["insurer"]) or a["start"][:10] < old["start"][:10]:
        return False, "the appointment breaks the city, insurance or date rule"
    where = ("d.specialty = ? AND c.city = ? AND d.id != ? AND substr(s.start, 1, 10) >= ? AND EXISTS"
             " (SELECT 1 FROM doctor_insurers i WHERE i.doctor_id = d.id AND i.insurer = ?)")
    cands = _candidates(db, where, (old["specialty"], p["city"], old["doctor_id"], old["start"][:10],
                                    p["insurer"]), [a["slot_id"]])
    same = [c for c in cands if c["clinic_id"] == old["clinic_id"]]
    pool = same or cands
    if same and a["clinic_id"] != old["clinic_id"]:
        return False, "a doctor at the same clinic was available"
    if a["start"] > pool[0]["start"]:
        return False, f"an earlier eligible slot existed at {pool[0]['start']}"
    return True, "appointment moved correctly"
"""
)
