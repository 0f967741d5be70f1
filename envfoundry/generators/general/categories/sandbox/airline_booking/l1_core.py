from .l1_params import DATE, DEST, ORIGIN
from .solve_lib import _codes, _open


def _cheapest_economy(tools, bookable_only):
    c = _codes(tools)
    flights = tools.search_flights(origin=c[ORIGIN], destination=c[DEST], date=DATE)
    ok = _open(flights, "economy") if bookable_only else flights
    return {"flight_id": min(ok, key=lambda f: (f["economy_fare"], f["flight_id"]))["flight_id"]}
