
INIT = {{INIT}}
MAX_BOOKING = {{MAX_BOOKING}}


def _counters_ok(db):
    for fid, (el, bl, ae, ab) in INIT.items():
        row = db.execute("SELECT economy_seats_left AS e, business_seats_left AS b FROM flights"
                         " WHERE id = ?", (fid,)).fetchone()
        n = {}
        for cabin in ("economy", "business"):
            n[cabin] = db.execute("SELECT COUNT(*) FROM bookings WHERE flight_id = ? AND cabin = ?"
                                  " AND status = 'active'", (fid, cabin)).fetchone()[0]
        if row["e"] != el - (n["economy"] - ae) or row["b"] != bl - (n["business"] - ab):
            return False
    return True


def _new_active(db, name):
    return db.execute(
        "SELECT b.*, f.origin, f.destination, f.departure, f.arrival, f.status AS fstatus,"
        " f.economy_fare, f.business_fare FROM bookings b JOIN flights f ON f.id = b.flight_id"
        " JOIN passengers p ON p.id = b.passenger_id WHERE p.name = ? AND b.id > ?"
        " AND b.status = 'active' ORDER BY b.id", (name, MAX_BOOKING)).fetchall()


def _route(db, origin_city, dest_city, date):
    return db.execute(
        "SELECT f.* FROM flights f JOIN airports o ON o.iata = f.origin"
        " JOIN airports d ON d.iata = f.destination WHERE o.city = ? AND d.city = ?"
        " AND substr(f.departure, 1, 10) = ? AND f.status = 'scheduled' ORDER BY f.departure",
        (origin_city, dest_city, date)).fetchall()
