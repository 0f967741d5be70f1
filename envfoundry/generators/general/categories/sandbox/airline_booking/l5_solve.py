
WINDOWS = True


def solve(tools):
    p = tools.find_passenger(name={{NAME}})
    active = [b for b in tools.list_bookings(passenger_id=p["id"]) if b["status"] == "active"]
    ids = []
    for b in sorted(active, key=lambda b: b["departure"]):
        day = _t(b["departure"]).date() + datetime.timedelta(days=1)
        flights = tools.search_flights(origin=b["origin"], destination=b["destination"],
                                       date=day.isoformat())
        ok = [f for f in flights if f["status"] == "scheduled"
              and f[b["cabin"] + "_seats_left"] > 0 and f["flight_id"] != b["flight_id"]]
        if WINDOWS:
            if b["origin"] == {{HOME}}:
                ok = [f for f in ok if f["arrival"] <= day.isoformat() + "T18:00"]
            else:
                ok = [f for f in ok if f["departure"] >= day.isoformat() + "T12:00"]
        best = min(ok, key=lambda f: (f[b["cabin"] + "_fare"], f["flight_id"]))
        tools.change_booking(booking_id=b["booking_id"], new_flight_id=best["flight_id"])
        ids.append(b["booking_id"])
    return {"booking_ids": ids}
