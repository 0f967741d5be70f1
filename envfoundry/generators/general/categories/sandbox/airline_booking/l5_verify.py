import datetime

from ..helpers import _the_rows
from .l5_params import DATE, DEST, LAYOVER, NAME, ORIGIN
from .verify_lib import _collateral, _new_active, _pid, _with_counters


def _t(stamp):
    return datetime.datetime.fromisoformat(stamp)


def _gap_ok(first, second):
    minutes = (_t(second["departure"]) - _t(first["arrival"])).total_seconds() / 60
    return LAYOVER[0] <= minutes <= LAYOVER[1]


def _iata(db, city):
    return db.execute("SELECT iata FROM airports WHERE city = ?", (city,)).fetchone()[0]


def _cheapest(before, start, end):
    """The lowest fare of a valid economy connection start -> end that day, before the
    episode's bookings."""
    legs = before.execute(
        "SELECT * FROM flights WHERE substr(departure, 1, 10) = ? AND status = 'scheduled'",
        (DATE,),
    ).fetchall()
    ones = [x for x in legs if x["origin"] == start and x["economy_seats_left"] > 0]
    twos = [x for x in legs if x["destination"] == end and x["economy_seats_left"] > 0]
    return min(
        x["economy_fare"] + y["economy_fare"]
        for x in ones
        for y in twos
        if x["destination"] == y["origin"] and _gap_ok(x, y)
    )


def _problem(before, f, g, start, end):
    if f["origin"] != start or g["destination"] != end:
        return "the legs must start at the origin and end at the destination"
    if f["destination"] != g["origin"] or f["cabin"] != "economy" or g["cabin"] != "economy":
        return "two economy legs must connect at one airport"
    if f["departure"][:10] != DATE or g["departure"][:10] != DATE:
        return f"both legs must depart on {DATE}"
    if not _gap_ok(f, g):
        return f"the layover is outside {LAYOVER[0]}-{LAYOVER[1]} minutes"
    best = _cheapest(before, start, end)
    if f["economy_fare"] + g["economy_fare"] > best:
        return f"a cheaper valid connection costs {best}"
    return ""


def verify(answer, db, before, changes):
    legs = _the_rows(_new_active(db, NAME), answer, "booking_ids", 2)
    if legs is None:
        return False, "the answer must list the passenger's two new active bookings"
    f, g = legs
    problem = _collateral(changes, _pid(db, NAME), [f["flight_id"], g["flight_id"]], "economy")
    if problem:
        return False, problem
    problem = _problem(before, f, g, _iata(db, ORIGIN), _iata(db, DEST))
    return (False, problem) if problem else _with_counters(db, "cheapest valid connection booked")
