
def solve(tools):
    p = tools.find_passenger(name={{NAME}})
    old = next(b for b in tools.list_bookings(passenger_id=p["id"])
               if b["status"] == "active" and b["flight_status"] == "cancelled")
    cabin = "business" if p["tier"] == "gold" else old["cabin"]
    day = old["departure"][:10]
    options = []
    for date in {{DATES}}:
        for f in tools.search_flights(origin=old["origin"], destination=old["destination"], date=date):
            if f["status"] == "scheduled" and f[cabin + "_seats_left"] > 0 \
                    and f["departure"] > old["departure"]:
                options.append(f)
    best = min(options, key=lambda f: (f["departure"], f["flight_id"]))
    b = tools.book_flight(passenger_id=p["id"], flight_id=best["flight_id"], cabin=cabin)
    return {"booking_id": b["booking_id"]}
