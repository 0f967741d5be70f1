
def solve(tools):
    best = None
    for b in [b for b in tools.list_branches(city={{CITY}}) if b["kind"] == "airport"]:
        for car in tools.search_available_cars(branch_id=b["id"], start_date={{START}},
                                               end_date={{END}}, min_seats={{SEATS}}):
            if best is None or (car["daily_rate"], car["id"]) < (best["daily_rate"], best["id"]):
                best = car
    return {"car_id": best["id"]}
