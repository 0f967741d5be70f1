from .l4_core import _options
from .solve_lib import _hold


def solve(tools):
    # each client simply gets the cheapest listing still available: neighborhoods may repeat
    out = []
    for cl, rows in _options(tools):
        free = [r for r in rows if r["id"] not in out]
        if free:
            out.append(_hold(tools, cl, min(free, key=lambda r: (r["monthly_rent"], r["id"]))))
    return {"listing_ids": out}
