

def solve(tools):
    c = _codes(tools)
    flights = tools.search_flights(origin=c[{{ORIGIN}}], destination=c[{{DEST}}], date={{DATE}})
    ok = [f for f in flights if f["status"] == "scheduled" and f["economy_seats_left"] > 0]
    return {"flight_id": min(ok, key=lambda f: (f["economy_fare"], f["flight_id"]))["flight_id"]}
