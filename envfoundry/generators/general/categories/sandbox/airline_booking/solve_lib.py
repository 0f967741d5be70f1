"""Solution helpers: airport codes by city, times, cheapest and earliest flights."""

import datetime


def _codes(tools):
    return {a["city"]: a["iata"] for a in tools.list_airports()}


def _t(stamp):
    return datetime.datetime.fromisoformat(stamp)


def _open(flights, cabin):
    """The scheduled flights with a free seat in ``cabin``."""
    return [f for f in flights if f["status"] == "scheduled" and f[cabin + "_seats_left"] > 0]


def _book(tools, passenger_id, flight_id, cabin):
    b = tools.book_flight(passenger_id=passenger_id, flight_id=flight_id, cabin=cabin)
    return b["booking_id"]
