from ..helpers import _lowest
from .l1_params import CITY, END, SEATS, START
from .verify_lib import _cars, _free


def verify(answer, db):
    cars = _cars(db, "b.city = ? AND c.seats >= ?", (CITY, SEATS))
    ok = [c for c in cars if _free(db, c["id"], START, END)]
    return _lowest(ok, "daily_rate", "car", answer, car_id="id")
