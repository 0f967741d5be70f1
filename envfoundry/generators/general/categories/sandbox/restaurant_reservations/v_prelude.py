
def _m(t):
    return int(t[:2]) * 60 + int(t[3:])


def _rest(db, rid):
    return db.execute("SELECT * FROM restaurants WHERE id = ?", (rid,)).fetchone()


def _free(db, rest, date, time, size, ignore=()):
    # the tables of rest free for a 120-minute sitting at date/time that seat size people
    start = _m(time)
    if start < _m(rest["opens"]) or start + 120 > _m(rest["closes"]):
        return []
    out = []
    for t in db.execute("SELECT * FROM dining_tables WHERE restaurant_id = ?", (rest["id"],)):
        if t["seats"] < size:
            continue
        busy = db.execute(
            "SELECT id, time FROM reservations WHERE table_id = ? AND date = ? AND status = 'active'",
            (t["id"], date),
        ).fetchall()
        if all(b["id"] in ignore or abs(_m(b["time"]) - start) >= 120 for b in busy):
            out.append(t)
    return out


def _mine(db, name):
    return db.execute(
        "SELECT * FROM reservations WHERE party_name = ? AND status = 'active' ORDER BY id", (name,)
    ).fetchall()


def _clash(db, res):
    # another active reservation overlapping res on the same table
    for b in db.execute(
        "SELECT id, time FROM reservations WHERE table_id = ? AND date = ? AND status = 'active'"
        " AND id != ?", (res["table_id"], res["date"], res["id"])
    ):
        if abs(_m(b["time"]) - _m(res["time"])) < 120:
            return True
    return False
