from .l2_params import CITY, END, NAME, START
from .solve_lib import _cheapest, _reserve


def _reserve_suv(tools, near_miss):
    cid = tools.find_customer(name=NAME)["id"]
    cars = []
    for b in tools.list_branches(city=CITY):
        cars += tools.search_available_cars(
            branch_id=b["id"], start_date=START, end_date=END, car_class="suv"
        )
    best = _cheapest([c for c in cars if c["transmission"] == "automatic"])
    if near_miss:
        # the cheapest SUV that is not a right answer: a manual one, or an automatic one
        # dearer than the cheapest (whichever is cheaper), when the city has one
        wrong = [
            c
            for c in cars
            if c["transmission"] != "automatic" or c["daily_rate"] > best["daily_rate"]
        ]
        best = _cheapest(wrong or [best])
    return {"reservation_id": _reserve(tools, cid, best, START, END)}
