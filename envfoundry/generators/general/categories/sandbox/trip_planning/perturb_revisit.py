from .planner import _plan

SAME = ("city", "hotel", "lunch", "dinner", "afternoon_attraction")


def solve(tools):
    # level 3: goes back to the first city on the last day to save a fare
    days = _plan(tools)
    first, last = days[0], days[-1]
    back = tools.get_inter_city_transport(from_city=days[-2]["city"], to_city=first["city"])
    last.update({k: first[k] for k in SAME})
    if back:
        last["transport_from_previous"] = back[0]["transport_id"]
    return {"days": days}
