

def solve(tools):
    # picks the cheapest listing of the brief and never estimates the commute
    cl = tools.get_client(name={{CLIENT}})
    best = min(_fitting(tools, cl), key=lambda r: (r["monthly_rent"], r["id"]))
    tools.place_hold(listing_id=best["id"], client_id=cl["id"])
    return {"listing_id": best["id"]}
