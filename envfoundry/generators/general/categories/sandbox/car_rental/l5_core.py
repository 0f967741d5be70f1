import datetime

from .l5_params import EXTRA, NAME
from .solve_lib import _allowed, _cheapest, _reserve


def _current(tools):
    """The customer and their active reservations, by start date."""
    cust = tools.find_customer(name=NAME)
    res = tools.list_reservations(customer_id=cust["id"])
    active = [r for r in res if r["status"] == "active"]
    return cust, sorted(active, key=lambda r: (r["start_date"], r["id"]))


def _later(day):
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=EXTRA)).isoformat()


def _rebook(tools, cust, res, car_class):
    """Cancel ``res`` and reserve the cheapest free car (of ``car_class``) until its new end."""
    tools.cancel_reservation(reservation_id=res["id"])
    end = _later(res["end_date"])
    cars = tools.search_available_cars(
        branch_id=res["branch_id"], start_date=res["start_date"], end_date=end, car_class=car_class
    )
    return _reserve(tools, cust["id"], _cheapest(_allowed(cust, cars)), res["start_date"], end)
