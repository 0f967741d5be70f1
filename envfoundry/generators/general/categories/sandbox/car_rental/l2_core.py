from .l2_params import CITY, END, NAME, START
from .solve_lib import _cheapest, _reserve


def _reserve_suv(tools, automatic_only):
    cid = tools.find_customer(name=NAME)["id"]
    cars = []
    for b in tools.list_branches(city=CITY):
        cars += tools.search_available_cars(
            branch_id=b["id"], start_date=START, end_date=END, car_class="suv"
        )
    best = _cheapest([c for c in cars if c["transmission"] == "automatic" or not automatic_only])
    return {"reservation_id": _reserve(tools, cid, best, START, END)}
