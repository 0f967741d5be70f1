from .l5_params import NAME, NEW_END
from .solve_lib import _allowed, _cheapest, _reserve


def _current(tools):
    cust = tools.find_customer(name=NAME)
    res = tools.list_reservations(customer_id=cust["id"])
    return cust, next(r for r in res if r["status"] == "active")


def _rebook(tools, cust, res, car_class):
    """Cancel ``res`` and reserve the cheapest free car (of ``car_class``) until NEW_END."""
    tools.cancel_reservation(reservation_id=res["id"])
    cars = tools.search_available_cars(
        branch_id=res["branch_id"],
        start_date=res["start_date"],
        end_date=NEW_END,
        car_class=car_class,
    )
    best = _cheapest(_allowed(cust, cars))
    return {"reservation_id": _reserve(tools, cust["id"], best, res["start_date"], NEW_END)}
