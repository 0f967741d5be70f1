import datetime

from .l5_params import HOME, NAME
from .solve_lib import _open, _t


def _in_window(flight, outbound, day):
    if outbound:
        return flight["arrival"] <= day + "T18:00"
    return flight["departure"] >= day + "T12:00"


def _shift(tools, windows):
    """Change each active booking to the cheapest flight one day later (within the time
    windows when ``windows``)."""
    p = tools.find_passenger(name=NAME)
    active = [b for b in tools.list_bookings(passenger_id=p["id"]) if b["status"] == "active"]
    ids = []
    for b in sorted(active, key=lambda b: b["departure"]):
        day = (_t(b["departure"]).date() + datetime.timedelta(days=1)).isoformat()
        flights = tools.search_flights(origin=b["origin"], destination=b["destination"], date=day)
        ok = [
            f
            for f in _open(flights, b["cabin"])
            if f["flight_id"] != b["flight_id"]
            and (_in_window(f, b["origin"] == HOME, day) or not windows)
        ]
        best = min(ok, key=lambda f: (f[b["cabin"] + "_fare"], f["flight_id"]))
        tools.change_booking(booking_id=b["booking_id"], new_flight_id=best["flight_id"])
        ids.append(b["booking_id"])
    return {"booking_ids": ids}
