"""Verifier helpers: free tables, the party's reservations (new ones against the initial
state), sets of ids."""

from ..helpers import _is_int_list
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


def _smallest(db, res, tables):
    """Why the reservation's table is not the smallest of ``tables`` that seats the party."""
    seats = db.execute(
        "SELECT seats FROM dining_tables WHERE id = ?", (res["table_id"],)
    ).fetchone()
    if seats["seats"] > min(t["seats"] for t in tables):
        return "a smaller free table would have seated the party"
    return ""


def _new(db, before, name):
    """The party's active reservations made during the episode (absent from ``before``)."""
    old = {r["id"] for r in before.execute("SELECT id FROM reservations")}
    return [r for r in _mine(db, name) if r["id"] not in old]


def _was_free(before, res, rest, ignore=()):
    """Whether the reservation's table was free (and seats the party) in the initial state."""
    tables = _free(before, rest, res["date"], res["time"], res["party_size"], ignore)
    return res["table_id"] in [t["id"] for t in tables]


def _same_ids(answer, key, want):
    """Why the answer's integer list ``key`` is not exactly ``want`` in any order (no
    duplicates, nothing missing or extra), or ``""``."""
    got = answer.get(key) if isinstance(answer, dict) else None
    if not isinstance(got, list) or not _is_int_list(got):
        return f"the answer needs {key!r}: a list of integers"
    if len(set(got)) != len(got):
        return f"{key} lists an id twice"
    if sorted(got) != sorted(want):
        return f"{key} is not exactly the right set of ids"
    return ""


def _qualifying(db, city, min_rating):
    """The vegan restaurants of ``city`` rated at least ``min_rating``."""
    return db.execute(
        "SELECT * FROM restaurants WHERE city = ? AND rating >= ? AND vegan = 1 ORDER BY id",
        (city, min_rating),
    ).fetchall()


def _nights(db, before, answer, party, city, min_rating, dates, time, size, ignore=()):
    """Why the party's new reservations are not one per date at ``time``, each at the
    best-rated qualifying restaurant with a free table then (judged on the initial state,
    the reservations in ``ignore`` freed) at its smallest such table; or ``""``."""
    new = _new(db, before, party)
    problem = _same_ids(answer, "reservation_ids", [r["id"] for r in new])
    if problem:
        return problem
    if sorted(r["date"] for r in new) != sorted(dates):
        return "exactly one dinner per requested evening is required"
    cands = _qualifying(before, city, min_rating)
    for res in new:
        rest = _rest(before, res["restaurant_id"])
        if rest["id"] not in [r["id"] for r in cands]:
            return f"{rest['name']} breaks the city/vegan/rating rules"
        if not _was_free(before, res, rest, ignore):
            return "a reservation's table was not free for the party at that time"
        avail = [r for r in cands if _free(before, r, res["date"], time, size, ignore)]
        if rest["rating"] < max(r["rating"] for r in avail):
            return f"a better-rated qualifying restaurant had a free table on {res['date']}"
        problem = _smallest(before, res, _free(before, rest, res["date"], time, size, ignore))
        if problem:
            return problem
    return ""
