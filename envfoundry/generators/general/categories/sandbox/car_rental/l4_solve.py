
DAYS = {{DAYS}}


def solve(tools):
    cust = tools.find_customer(name={{NAME}})
    legs = []
    for city, start, end in {{LEGS}}:
        cars = []
        for b in tools.list_branches(city=city):
            cars += tools.search_available_cars(branch_id=b["id"], start_date=start, end_date=end,
                                                min_seats={{SEATS}})
        if cust["age"] < 25:
            cars = [c for c in cars if c["car_class"] not in ("premium", "luxury")]
        legs.append(cars)
    best = None
    for a in legs[0]:
        for b in legs[1]:
            if {{SAME_CLASS}} and a["car_class"] != b["car_class"]:
                continue
            key = (a["daily_rate"] * DAYS[0] + b["daily_rate"] * DAYS[1], a["id"], b["id"])
            if best is None or key < best:
                best = key
    ids = []
    for car_id, (city, start, end) in zip(best[1:], {{LEGS}}):
        ids.append(tools.create_reservation(customer_id=cust["id"], car_id=car_id,
                                            start_date=start, end_date=end)["id"])
    return {"reservation_ids": ids}
