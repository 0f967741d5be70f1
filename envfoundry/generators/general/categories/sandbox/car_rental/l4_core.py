from .l4_params import DAYS, LEGS, NAME, SEATS
from .solve_lib import _allowed, _city_cars, _reserve


def _cost(pair):
    a, b = pair
    return (a["daily_rate"] * DAYS[0] + b["daily_rate"] * DAYS[1], a["id"], b["id"])


def _two_cities(tools, same_class):
    cust = tools.find_customer(name=NAME)
    first, second = (_allowed(cust, _city_cars(tools, c, s, e, SEATS)) for c, s, e in LEGS)
    pairs = [
        (a, b) for a in first for b in second if a["car_class"] == b["car_class"] or not same_class
    ]
    cars = min(pairs, key=_cost)
    ids = [
        _reserve(tools, cust["id"], car, s, e) for car, (_, s, e) in zip(cars, LEGS, strict=True)
    ]
    return {"reservation_ids": ids}
