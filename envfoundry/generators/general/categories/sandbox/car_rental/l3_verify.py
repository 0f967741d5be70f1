from .l3_params import CITY, END, FUELS, NAME, SEATS, START
from .verify_lib import _cars, _free, _new_reservation


def _had(before):
    """The models of the customer's reservations before the episode that were not cancelled
    (a reservation made and cancelled again during the episode is no rental)."""
    rows = before.execute(
        "SELECT c.model FROM reservations r JOIN cars c ON c.id = r.car_id"
        " JOIN customers u ON u.id = r.customer_id WHERE u.name = ? AND r.status != 'cancelled'",
        (NAME,),
    )
    return {row["model"] for row in rows}


def verify(answer, db, before, changes):
    r, problem = _new_reservation(db, answer, NAME, None, START, END, changes)
    if r is None:
        return False, problem
    if r["city"] != CITY:
        return False, f"the car must be at a branch in {CITY}"
    if r["seats"] < SEATS:
        return False, f"the car must seat {SEATS}"
    had = _had(before)
    car = db.execute("SELECT model FROM cars WHERE id = ?", (r["car_id"],)).fetchone()
    if car["model"] in had:
        return False, "the customer reserved this model before"
    young = r["age"] < 25
    # the cars that were free before the episode
    ok = [
        c
        for c in _cars(before, "b.city = ? AND c.seats >= ?", (CITY, SEATS))
        if _free(before, c["id"], START, END)
        and not (young and c["car_class"] in ("premium", "luxury"))
        and c["model"] not in had
    ]
    fuel, pool = next((f, p) for f in FUELS if (p := [c for c in ok if f in (None, c["fuel"])]))
    if fuel is not None and r["fuel"] != fuel:
        return False, f"a free car running on {fuel} was available and must be preferred"
    if r["daily_rate"] > min(c["daily_rate"] for c in pool):
        return False, "a cheaper car of the preferred fuel was free"
    return True, "preferred fuel, lowest price, a new model"
