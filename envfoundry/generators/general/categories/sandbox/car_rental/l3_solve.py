
def solve(tools):
    cust = tools.find_customer(name={{NAME}})
    cars = tools.search_available_cars(branch_id={{BRANCH}}, start_date={{START}}, end_date={{END}},
                                       min_seats={{SEATS}})
    if cust["age"] < 25:
        cars = [c for c in cars if c["car_class"] not in ("premium", "luxury")]
    for fuel in {{FUELS}}:
        pool = [c for c in cars if fuel is None or c["fuel"] == fuel]
        if pool:
            best = min(pool, key=lambda c: (c["daily_rate"], c["id"]))
            break
    res = tools.create_reservation(customer_id=cust["id"], car_id=best["id"], start_date={{START}},
                                   end_date={{END}})
    return {"reservation_id": res["id"]}
