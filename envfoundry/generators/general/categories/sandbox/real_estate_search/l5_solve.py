

def solve(tools):
    cl = tools.get_client(name={{CLIENT}})
    best = None
    for r in _fitting(tools, cl):
        m = tools.estimate_commute(listing_id=r["id"], client_id=cl["id"])["minutes"]
        key = (m, r["monthly_rent"], r["id"])
        if m <= {{MAX_MINUTES}} and (best is None or key < best[0]):
            best = (key, r)
    tools.place_hold(listing_id=best[1]["id"], client_id=cl["id"])
    return {"listing_id": best[1]["id"]}
