

def solve(tools):
    cl = tools.get_client(name={{CLIENT}})
    ok = [r for r in _fitting(tools, cl)
          if _near(tools, r["id"], "school", {{RADIUS}}) and _near(tools, r["id"], "park", {{RADIUS}})]
    best = max(ok, key=lambda r: r["area_sqm"])
    tools.place_hold(listing_id=best["id"], client_id=cl["id"])
    return {"listing_id": best["id"]}
