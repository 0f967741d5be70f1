

def solve(tools):
    c = _codes(tools)
    flights = tools.search_flights(origin=c[{{ORIGIN}}], destination=c[{{DEST}}], date={{DATE}})
    return {"flight_id": min(flights, key=lambda f: (f["economy_fare"], f["flight_id"]))["flight_id"]}
