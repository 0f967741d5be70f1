
def solve(tools):
    cust = tools.find_customer(name={{NAME}})
    res = next(r for r in tools.list_reservations(customer_id=cust["id"]) if r["status"] == "active")
    free = tools.search_available_cars(branch_id=res["branch_id"], start_date=res["end_date"],
                                       end_date={{NEW_END}})
    if any(c["id"] == res["car_id"] for c in free):
        out = tools.extend_reservation(reservation_id=res["id"], new_end_date={{NEW_END}})
        return {"reservation_id": out["id"]}
    tools.cancel_reservation(reservation_id=res["id"])
    cars = tools.search_available_cars(branch_id=res["branch_id"], start_date=res["start_date"],
                                       end_date={{NEW_END}}, car_class=res["car_class"])
    best = min(cars, key=lambda c: (c["daily_rate"], c["id"]))
    new = tools.create_reservation(customer_id=cust["id"], car_id=best["id"],
                                   start_date=res["start_date"], end_date={{NEW_END}})
    return {"reservation_id": new["id"]}
