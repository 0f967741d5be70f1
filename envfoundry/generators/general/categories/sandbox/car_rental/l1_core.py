from .l1_params import CITY, END, SEATS, START
from .solve_lib import _cheapest, _city_cars


def _cheapest_car(tools, airport_only):
    cars = _city_cars(tools, CITY, START, END, SEATS, airport_only)
    return {"car_id": _cheapest(cars)["id"]}
