from .l3_params import PARTY, SIZE
from .sitting import _around
from .solve_lib import _fits, _reserve


def _alternative(tools, rest, old):
    """The best-rated other restaurant of the cuisine with a table at the old time."""
    best = None
    for r in tools.search_restaurants(city=rest["city"], cuisine=rest["cuisine"]):
        other = tools.get_restaurant(restaurant_id=r["id"])
        fits = _fits(tools, other, old["date"], old["time"], SIZE)
        if (
            other["id"] != rest["id"]
            and fits
            and (best is None or other["rating"] > best[0]["rating"])
        ):
            best = (other, fits, old["time"])
    return best


def _move(tools, cancel):
    """Rebook at the same restaurant within an hour of the old time, else elsewhere."""
    old = tools.find_reservations(party_name=PARTY)[0]
    if cancel:
        tools.cancel_reservation(reservation_id=old["reservation_id"])
    rest = tools.get_restaurant(restaurant_id=old["restaurant_id"])
    found = None
    for time in _around(old["time"]):
        free = _fits(tools, rest, old["date"], time, SIZE)
        if free:
            found = (rest, free, time)
            break
    rest, free, time = found or _alternative(tools, rest, old)
    return {
        "reservation_id": _reserve(tools, rest, free[0]["table_id"], old["date"], time, SIZE, PARTY)
    }
