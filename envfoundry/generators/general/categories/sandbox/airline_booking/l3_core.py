from .l3_params import DATES, NAME
from .solve_lib import _book, _open


def _rebook(tools, cancel):
    """Cancel the booking on the cancelled flight, book the earliest later flight that day or
    the next (business for gold members)."""
    p = tools.find_passenger(name=NAME)
    old = next(
        b
        for b in tools.list_bookings(passenger_id=p["id"])
        if b["status"] == "active" and b["flight_status"] == "cancelled"
    )
    cabin = "business" if p["tier"] == "gold" else old["cabin"]
    options = []
    for date in DATES:
        flights = tools.search_flights(
            origin=old["origin"], destination=old["destination"], date=date
        )
        options += [f for f in _open(flights, cabin) if f["departure"] > old["departure"]]
    best = min(options, key=lambda f: (f["departure"], f["flight_id"]))
    if cancel:
        tools.cancel_booking(booking_id=old["booking_id"])
    return {"booking_id": _book(tools, p["id"], best["flight_id"], cabin)}
