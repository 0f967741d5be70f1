from .l2_params import BRANCH, END, NAME, START
from .solve_lib import _cheapest, _reserve


def _reserve_suv(tools, automatic_only):
    cid = tools.find_customer(name=NAME)["id"]
    cars = tools.search_available_cars(
        branch_id=BRANCH, start_date=START, end_date=END, car_class="suv"
    )
    best = _cheapest([c for c in cars if c["transmission"] == "automatic" or not automatic_only])
    return {"reservation_id": _reserve(tools, cid, best, START, END)}
