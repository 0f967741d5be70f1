

def solve(tools):
    c = _codes(tools)
    pid = tools.find_passenger(name={{NAME}})["id"]
    a, z = c[{{ORIGIN}}], c[{{DEST}}]
    best = None
    for hub in sorted(set(c.values()) - {a, z}):
        first = tools.search_flights(origin=a, destination=hub, date={{DATE}})
        second = tools.search_flights(origin=hub, destination=z, date={{DATE}})
        for f in first:
            for g in second:
                if f["status"] != "scheduled" or g["status"] != "scheduled":
                    continue
                if f["economy_seats_left"] < 1 or g["economy_seats_left"] < 1:
                    continue
                gap = (_t(g["departure"]) - _t(f["arrival"])).total_seconds() / 60
                if not {{MIN_GAP}} <= gap <= {{MAX_GAP}}:
                    continue
                key = (f["economy_fare"] + g["economy_fare"], f["flight_id"], g["flight_id"])
                if best is None or key < best:
                    best = key
    ids = []
    for fid in best[1:]:
        ids.append(tools.book_flight(passenger_id=pid, flight_id=fid, cabin="economy")["booking_id"])
    return {"booking_ids": ids}
