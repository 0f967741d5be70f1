from .l5_params import CLIENT, MAX_MINUTES
from .solve_lib import _fitting, _hold


def solve(tools):
    cl = tools.get_client(name=CLIENT)
    options = []
    for r in _fitting(tools, cl):
        m = tools.estimate_commute(listing_id=r["id"], client_id=cl["id"])["minutes"]
        if m <= MAX_MINUTES:
            options.append(((m, r["monthly_rent"], r["id"]), r))
    return {"listing_id": _hold(tools, cl, min(options, key=lambda o: o[0])[1])}
