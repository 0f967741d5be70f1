

def solve(tools):
    opts = _options(tools)
    best = [None, None]

    def walk(i, chosen, total):
        if best[0] is not None and total >= best[0]:
            return
        if i == len(opts):
            best[0], best[1] = total, list(chosen)
            return
        for r in sorted(opts[i][1], key=lambda r: r["monthly_rent"]):
            if all(r["id"] != c["id"] and r["neighborhood"] != c["neighborhood"] for c in chosen):
                walk(i + 1, chosen + [r], total + r["monthly_rent"])

    walk(0, [], 0)
    for (cl, _), r in zip(opts, best[1]):
        tools.place_hold(listing_id=r["id"], client_id=cl["id"])
    return {"listing_ids": [r["id"] for r in best[1]]}
