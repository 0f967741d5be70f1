"""Solution helpers: the young-driver rule and reserving."""


def _allowed(customer, cars):
    if customer["age"] < 25:
        return [c for c in cars if c["car_class"] not in ("premium", "luxury")]
    return cars


def _cheapest(cars):
    return min(cars, key=lambda c: (c["daily_rate"], c["id"]))


def _reserve(tools, customer_id, car, start, end):
    res = tools.create_reservation(
        customer_id=customer_id, car_id=car["id"], start_date=start, end_date=end
    )
    return res["id"]


def _city_cars(tools, city, start, end, seats, airport_only=False):
    """Cars free from start to end with enough seats at the city's branches."""
    cars = []
    for b in tools.list_branches(city=city):
        if b["kind"] == "airport" or not airport_only:
            cars += tools.search_available_cars(
                branch_id=b["id"], start_date=start, end_date=end, min_seats=seats
            )
    return cars
