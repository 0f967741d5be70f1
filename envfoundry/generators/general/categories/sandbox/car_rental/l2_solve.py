
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    cars = tools.search_available_cars(branch_id={{BRANCH}}, start_date={{START}}, end_date={{END}},
                                       car_class="suv")
    ok = [c for c in cars if c["transmission"] == "automatic"]
    best = min(ok, key=lambda c: (c["daily_rate"], c["id"]))
    res = tools.create_reservation(customer_id=cid, car_id=best["id"], start_date={{START}},
                                   end_date={{END}})
    return {"reservation_id": res["id"]}
