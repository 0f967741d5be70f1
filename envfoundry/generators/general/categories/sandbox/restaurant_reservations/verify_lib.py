"""Verifier helpers: free tables, the party's reservations, double bookings."""

from .sitting import SITTING, _inside_hours, _m


def _rest(db, rid):
    return db.execute("SELECT * FROM restaurants WHERE id = ?", (rid,)).fetchone()


def _free(db, rest, date, time, size, ignore=()):
    # the tables of rest free for a 120-minute sitting at date/time that seat size people
    start = _m(time)
    if not _inside_hours(rest, start):
        return []
    out = []
    for t in db.execute("SELECT * FROM dining_tables WHERE restaurant_id = ?", (rest["id"],)):
        if t["seats"] < size:
            continue
        busy = db.execute(
            "SELECT id, time FROM reservations WHERE table_id = ? AND date = ? AND status = 'active'",
            (t["id"], date),
        ).fetchall()
        if all(b["id"] in ignore or abs(_m(b["time"]) - start) >= SITTING for b in busy):
            out.append(t)
    return out


def _mine(db, name):
    return db.execute(
        "SELECT * FROM reservations WHERE party_name = ? AND status = 'active' ORDER BY id", (name,)
    ).fetchall()


def _clash(db, res):
    # another active reservation overlapping res on the same table
    rows = db.execute(
        "SELECT id, time FROM reservations WHERE table_id = ? AND date = ? AND status = 'active'"
        " AND id != ?",
        (res["table_id"], res["date"], res["id"]),
    )
    return any(abs(_m(b["time"]) - _m(res["time"])) < SITTING for b in rows)


def _smallest(db, res, tables):
    """Why the reservation's table is not the smallest of ``tables`` that seats the party."""
    seats = db.execute(
        "SELECT seats FROM dining_tables WHERE id = ?", (res["table_id"],)
    ).fetchone()
    if seats["seats"] > min(t["seats"] for t in tables):
        return "a smaller free table would have seated the party"
    return ""
