

def solve(tools):
    # forgets the fare cap
    c = _codes(tools)
    pid = tools.find_passenger(name={{NAME}})["id"]
    flights = tools.search_flights(origin=c[{{ORIGIN}}], destination=c[{{DEST}}], date={{DATE}})
    ok = [f for f in flights if f["status"] == "scheduled" and f["business_seats_left"] > 0]
    best = min(ok, key=lambda f: (f["departure"], f["flight_id"]))
    b = tools.book_flight(passenger_id=pid, flight_id=best["flight_id"], cabin="business")
    return {"booking_id": b["booking_id"]}
