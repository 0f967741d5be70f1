# Toolset v2 adds finding and cancelling reservations.
from ..helpers import _active_row, _canon, _dicts, _text_arg


def find_reservations(db, party_name):
    """Active reservations held under a party name."""
    return _dicts(
        db,
        "SELECT r.id AS reservation_id, r.restaurant_id, r.table_id, r.party_size, r.date,"
        " r.time, t.seats FROM reservations r JOIN dining_tables t ON t.id = r.table_id"
        " WHERE r.party_name = ? AND r.status = 'active' ORDER BY r.id",
        (_canon(db, "reservations", "party_name", _text_arg(party_name, "party_name")),),
    )


def cancel_reservation(db, reservation_id):
    """Cancel an active reservation, freeing its table."""
    _active_row(db, "reservations", reservation_id, "reservation_id")
    db.execute("UPDATE reservations SET status = 'cancelled' WHERE id = ?", (reservation_id,))
    return {"reservation_id": reservation_id, "status": "cancelled"}
