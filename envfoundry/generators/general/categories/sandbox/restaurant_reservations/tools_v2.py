
def find_reservations(db, party_name):
    """Active reservations held under a party name."""
    if not isinstance(party_name, str) or not party_name:
        raise ValueError("party_name must be a non-empty string")
    rows = db.execute(
        "SELECT r.id AS reservation_id, r.restaurant_id, r.table_id, r.party_size, r.date,"
        " r.time, t.seats FROM reservations r JOIN dining_tables t ON t.id = r.table_id"
        " WHERE r.party_name = ? AND r.status = 'active' ORDER BY r.id",
        (party_name,),
    ).fetchall()
    return [dict(r) for r in rows]


def cancel_reservation(db, reservation_id):
    """Cancel an active reservation, freeing its table."""
    row = db.execute(
        "SELECT status FROM reservations WHERE id = ?", (reservation_id,)
    ).fetchone()
    if row is None:
        raise ValueError(f"no reservation with id {reservation_id}")
    if row["status"] != "active":
        raise ValueError(f"reservation {reservation_id} is already {row['status']}")
    db.execute("UPDATE reservations SET status = 'cancelled' WHERE id = ?", (reservation_id,))
    return {"reservation_id": reservation_id, "status": "cancelled"}
