# Toolset v2 adds cancelling an appointment.
from ..helpers import _active_row


def cancel_appointment(db, appointment_id):
    """Cancel an active appointment; its slot becomes open again."""
    row = _active_row(db, "appointments", appointment_id, "appointment_id")
    db.execute("UPDATE appointments SET status = 'cancelled' WHERE id = ?", (appointment_id,))
    db.execute("UPDATE slots SET status = 'open' WHERE id = ?", (row["slot_id"],))
    return {"appointment_id": appointment_id, "status": "cancelled"}
