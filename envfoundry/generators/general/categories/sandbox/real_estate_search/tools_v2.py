# Toolset v2 adds the commute estimate.
from ..helpers import _by_id
from .geo import _km, _minutes


def estimate_commute(db, listing_id, client_id):
    """Door-to-door commute in minutes from a listing to the client's workplace by the
    client's commute mode: 6 + minutes_per_km x distance (transit 3.0, car 2.2, bike 4.0)."""
    lst = _by_id(db, "listings", listing_id, "listing_id")
    cl = _by_id(db, "clients", client_id, "client_id")
    km = _km(lst["lat"], lst["lon"], cl["work_lat"], cl["work_lon"])
    mode = cl["commute_mode"]
    return {
        "listing_id": listing_id,
        "client_id": client_id,
        "mode": mode,
        "minutes": _minutes(mode, km),
    }
