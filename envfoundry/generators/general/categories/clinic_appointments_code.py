"""Tool specs and generated-code templates (tools, solutions, verifiers) of the clinic_appointments category.

The templates are files under ``sandbox/clinic_appointments/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec
from envfoundry.generators.general.categories._procedural_kit import sandbox_reader

_text = sandbox_reader("clinic_appointments")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

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

V_PRELUDE = _text("v_prelude.py")

# ------------------------------------------------------------------ level 1: filter (read)

L1_SOLVE = _text("l1_solve.py")
L1_PERTURBED = _text("l1_perturbed.py")
L1_VERIFY = _text("l1_verify.py")

# ------------------------------------------------------------------ level 2: earliest (write)

_S_EARLIEST = _text("s_earliest.py")

L2_SOLVE = _S_EARLIEST + _text("l2_solve.py")
L2_PERTURBED = _S_EARLIEST + _text("l2_perturbed.py")
L2_VERIFY = V_PRELUDE + _text("l2_verify.py")

# ------------------------------------------------------------------ level 3: rules + calendar

L3_SOLVE = _S_EARLIEST + _text("l3_solve.py")
L3_PERTURBED = _S_EARLIEST + _text("l3_perturbed.py")
L3_VERIFY = V_PRELUDE + _text("l3_verify.py")

# ------------------------------------------------------------------ level 4: family, one visit

_S_FAMILY = _text("s_family.py")

L4_SOLVE = _S_FAMILY + _text("l4_solve.py")
L4_PERTURBED = _S_FAMILY + _text("l4_perturbed.py")
L4_VERIFY = V_PRELUDE + _text("l4_verify.py")

# ------------------------------------------------------------------ level 5: rebook (toolset v2)

_S_REBOOK = _S_EARLIEST + _text("s_rebook.py")
L5_SOLVE = _S_REBOOK + _text("l5_solve.py")
L5_PERTURBED = _S_REBOOK + _text("l5_perturbed.py")
L5_VERIFY = V_PRELUDE + _text("l5_verify.py")
