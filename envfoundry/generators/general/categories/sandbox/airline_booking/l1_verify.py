from ..helpers import _lowest, _unexpected_change
from .l1_params import DATE, DEST, ORIGIN


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes)  # a question: nothing may change
    if problem:
        return False, problem
    rows = before.execute(
        "SELECT f.* FROM flights f JOIN airports o ON o.iata = f.origin"
        " JOIN airports d ON d.iata = f.destination WHERE o.city = ? AND d.city = ?"
        " AND substr(f.departure, 1, 10) = ? AND f.status = 'scheduled'"
        " AND f.economy_seats_left > 0",
        (ORIGIN, DEST, DATE),
    ).fetchall()
    return _lowest(rows, "economy_fare", "flight", answer, flight_id="id")
