

def solve(tools):
    # each client simply gets the cheapest listing still available: neighborhoods may repeat
    out = []
    for cl, rows in _options(tools):
        for r in sorted(rows, key=lambda r: (r["monthly_rent"], r["id"])):
            if r["id"] not in out:
                tools.place_hold(listing_id=r["id"], client_id=cl["id"])
                out.append(r["id"])
                break
    return {"listing_ids": out}
