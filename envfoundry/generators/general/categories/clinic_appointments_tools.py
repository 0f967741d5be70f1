"""Tool specs of the clinic_appointments category; the tools are ``sandbox/clinic_appointments/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import tool

TOOLS_V1_SPECS = (
    tool(
        "list_doctors",
        "List doctors (id, name, specialty, fee, clinic_id, clinic, city), optionally filtered "
        "by exact specialty and by the city of their clinic.",
        {"specialty": {"type": "string"}, "city": {"type": "string"}},
    ),
    tool(
        "get_doctor",
        "One doctor's details, including accepted_insurers (list of insurer names).",
        {"doctor_id": {"type": "integer"}},
        ["doctor_id"],
    ),
    tool(
        "list_open_slots",
        "Open 30-minute slots of a doctor, earliest first (slot_id, start 'YYYY-MM-DD HH:MM' "
        "local time, duration_min); optionally only on one date 'YYYY-MM-DD'.",
        {"doctor_id": {"type": "integer"}, "date": {"type": "string"}},
        ["doctor_id"],
    ),
    tool(
        "find_patient",
        "A patient by exact full name: id, insurer, city, birth_year and active appointments "
        "(appointment_id, doctor_id, start, duration_min).",
        {"name": {"type": "string", "minLength": 1}},
        ["name"],
    ),
    tool(
        "book_appointment",
        "Book an open slot for a patient. It only checks that the slot is open: insurance "
        "and clashes with the patient's other appointments are the caller's responsibility.",
        {"patient_id": {"type": "integer"}, "slot_id": {"type": "integer"}},
        ["patient_id", "slot_id"],
        mutates=True,
    ),
)

TOOLS_V2_SPECS = (
    tool(
        "cancel_appointment",
        "Cancel an active appointment by id; its slot becomes open again.",
        {"appointment_id": {"type": "integer"}},
        ["appointment_id"],
        mutates=True,
    ),
)
