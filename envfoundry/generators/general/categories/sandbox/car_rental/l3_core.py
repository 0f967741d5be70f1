from .l3_params import CITY, END, NAME, SEATS, START
from .solve_lib import _allowed, _cheapest, _city_cars, _reserve


def _reserve_by_fuel(tools, fuels):
    cust = tools.find_customer(name=NAME)
    rented = tools.list_reservations(customer_id=cust["id"])
    had = {r["model"] for r in rented if r["status"] != "cancelled"}
    cars = _allowed(cust, _city_cars(tools, CITY, START, END, SEATS))
    cars = [c for c in cars if c["model"] not in had]
    pool = next(p for fuel in fuels if (p := [c for c in cars if fuel in (None, c["fuel"])]))
    return {"reservation_id": _reserve(tools, cust["id"], _cheapest(pool), START, END)}
