from .l2_params import DATE, DEST, NAME, ORIGIN
from .solve_lib import _book, _codes, _open


def _book_business(tools, cap):
    c = _codes(tools)
    pid = tools.find_passenger(name=NAME)["id"]
    flights = tools.search_flights(origin=c[ORIGIN], destination=c[DEST], date=DATE)
    ok = [f for f in _open(flights, "business") if cap is None or f["business_fare"] <= cap]
    best = min(ok, key=lambda f: (f["departure"], f["flight_id"]))
    return {"booking_id": _book(tools, pid, best["flight_id"], "business")}
