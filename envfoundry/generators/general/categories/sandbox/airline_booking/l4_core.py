import datetime

from .l4_params import COMPANION, HOME, NAME
from .solve_lib import _open, _t


def _in_window(flight, outbound, day):
    if outbound:
        return flight["arrival"] <= day + "T18:00"
    return flight["departure"] >= day + "T12:00"


def _trip(tools, name):
    """The traveller's active bookings, earliest departure first."""
    p = tools.find_passenger(name=name)
    active = [b for b in tools.list_bookings(passenger_id=p["id"]) if b["status"] == "active"]
    return sorted(active, key=lambda b: b["departure"])


def _shift(tools, windows, together):
    """Change both travellers' bookings, leg by leg, to the cheapest flight one day later
    (within the time windows when ``windows``) with a free seat for each of them (two seats
    when ``together``)."""
    mine, theirs = _trip(tools, NAME), _trip(tools, COMPANION)
    for b, c in zip(mine, theirs, strict=True):
        day = (_t(b["departure"]).date() + datetime.timedelta(days=1)).isoformat()
        flights = tools.search_flights(origin=b["origin"], destination=b["destination"], date=day)
        seats = 2 if together else 1
        ok = [
            f
            for f in _open(flights, b["cabin"])
            if f["flight_id"] != b["flight_id"]
            and f[b["cabin"] + "_seats_left"] >= seats
            and (_in_window(f, b["origin"] == HOME, day) or not windows)
        ]
        best = min(ok, key=lambda f: (f[b["cabin"] + "_fare"], f["flight_id"]))
        tools.change_booking(booking_id=b["booking_id"], new_flight_id=best["flight_id"])
        if together:
            tools.change_booking(booking_id=c["booking_id"], new_flight_id=best["flight_id"])
    return {
        "booking_ids": [b["booking_id"] for b in mine],
        "companion_booking_ids": [c["booking_id"] for c in theirs],
    }
