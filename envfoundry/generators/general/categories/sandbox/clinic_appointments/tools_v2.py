
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
