from .l5_core import _current, _rebook
from .l5_params import NEW_END


def solve(tools):
    cust, res = _current(tools)
    free = tools.search_available_cars(
        branch_id=res["branch_id"], start_date=res["end_date"], end_date=NEW_END
    )
    if any(c["id"] == res["car_id"] for c in free):
        out = tools.extend_reservation(reservation_id=res["id"], new_end_date=NEW_END)
        return {"reservation_id": out["id"]}
    return _rebook(tools, cust, res, res["car_class"])
