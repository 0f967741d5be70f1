from .l5_core import _current, _later, _rebook


def solve(tools):
    cust, current = _current(tools)
    out = []
    for res in current:
        end = _later(res["end_date"])
        free = tools.search_available_cars(
            branch_id=res["branch_id"], start_date=res["end_date"], end_date=end
        )
        if any(c["id"] == res["car_id"] for c in free):
            out.append(tools.extend_reservation(reservation_id=res["id"], new_end_date=end)["id"])
        else:
            out.append(_rebook(tools, cust, res, res["car_class"]))
    return {"reservation_ids": out}
