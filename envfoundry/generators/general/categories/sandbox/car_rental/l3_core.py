from .l3_params import BRANCH, END, NAME, SEATS, START
from .solve_lib import _allowed, _cheapest, _reserve


def _reserve_by_fuel(tools, fuels):
    cust = tools.find_customer(name=NAME)
    cars = tools.search_available_cars(
        branch_id=BRANCH, start_date=START, end_date=END, min_seats=SEATS
    )
    cars = _allowed(cust, cars)
    pool = next(p for fuel in fuels if (p := [c for c in cars if fuel in (None, c["fuel"])]))
    return {"reservation_id": _reserve(tools, cust["id"], _cheapest(pool), START, END)}
