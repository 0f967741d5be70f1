from ..helpers import _malformed
from .l1_params import DATE, DEST, ORIGIN


def verify(answer, db):
    problem = _malformed(answer, flight_id="int")
    if problem:
        return False, problem
    rows = db.execute(
        "SELECT f.* FROM flights f JOIN airports o ON o.iata = f.origin"
        " JOIN airports d ON d.iata = f.destination WHERE o.city = ? AND d.city = ?"
        " AND substr(f.departure, 1, 10) = ? AND f.status = 'scheduled'"
        " AND f.economy_seats_left > 0",
        (ORIGIN, DEST, DATE),
    ).fetchall()
    pick = [r for r in rows if r["id"] == answer["flight_id"]]
    if not pick:
        return False, "not a scheduled flight with economy seats on the asked route and date"
    if pick[0]["economy_fare"] > min(r["economy_fare"] for r in rows):
        return False, "a cheaper bookable economy fare exists"
    return True, "cheapest bookable economy flight"
