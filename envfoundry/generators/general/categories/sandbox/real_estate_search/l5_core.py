from .l5_params import CLIENTS, MAX_MINUTES
from .solve_lib import _fitting, _hold


def _pick(tools, name, by_commute):
    """Hold for client ``name`` the listing of their brief with the shortest commute (then
    the lowest rent), or, without ``by_commute``, simply the cheapest one."""
    cl = tools.get_client(name=name)
    rows = _fitting(tools, cl)
    if not by_commute:
        return _hold(tools, cl, min(rows, key=lambda r: (r["monthly_rent"], r["id"])))
    options = []
    for r in rows:
        m = tools.estimate_commute(listing_id=r["id"], client_id=cl["id"])["minutes"]
        if m <= MAX_MINUTES:
            options.append(((m, r["monthly_rent"], r["id"]), r))
    return _hold(tools, cl, min(options, key=lambda o: o[0])[1])


def _team(tools, by_commute):
    return {"listing_ids": [_pick(tools, name, by_commute) for name in CLIENTS]}
