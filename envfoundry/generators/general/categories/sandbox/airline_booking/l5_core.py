from .l5_params import DATE, DEST, LAYOVER, NAME, ORIGIN
from .solve_lib import _book, _codes, _open, _t


def _connect(tools, min_gap):
    """Book the cheapest pair of connecting economy flights with a layover of min_gap to
    the longest LAYOVER minutes."""
    c = _codes(tools)
    pid = tools.find_passenger(name=NAME)["id"]
    a, z = c[ORIGIN], c[DEST]
    options = []
    for hub in sorted(set(c.values()) - {a, z}):
        first = _open(tools.search_flights(origin=a, destination=hub, date=DATE), "economy")
        second = _open(tools.search_flights(origin=hub, destination=z, date=DATE), "economy")
        for f in first:
            for g in second:
                gap = (_t(g["departure"]) - _t(f["arrival"])).total_seconds() / 60
                if min_gap <= gap <= LAYOVER[1]:
                    fare = f["economy_fare"] + g["economy_fare"]
                    options.append((fare, f["flight_id"], g["flight_id"]))
    _, *legs = min(options)
    return {"booking_ids": [_book(tools, pid, fid, "economy") for fid in legs]}
