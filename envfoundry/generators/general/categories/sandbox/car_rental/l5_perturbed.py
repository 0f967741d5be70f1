
def solve(tools):
    # never tries to extend; rebooks the cheapest free car of any class
    cust = tools.find_customer(name={{NAME}})
    res = next(r for r in tools.list_reservations(customer_id=cust["id"]) if r["status"] == "active")
    tools.cancel_reservation(reservation_id=res["id"])
    cars = tools.search_available_cars(branch_id=res["branch_id"], start_date=res["start_date"],
                                       end_date={{NEW_END}})
    if cust["age"] < 25:
        cars = [c for c in cars if c["car_class"] not in ("premium", "luxury")]
    best = min(cars, key=lambda c: (c["daily_rate"], c["id"]))
    new = tools.create_reservation(customer_id=cust["id"], car_id=best["id"],
                                   start_date=res["start_date"], end_date={{NEW_END}})
    return {"reservation_id": new["id"]}
