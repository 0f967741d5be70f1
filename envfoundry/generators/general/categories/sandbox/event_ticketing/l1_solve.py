

def solve(tools):
    best = None
    for e in tools.search_events(city={{CITY}}, category={{CATEGORY}}, date_from={{D1}}, date_to={{D2}}):
        s = _cheapest(tools, e["id"], {{QTY}})
        if s and (best is None or (s["price"], e["id"]) < best[0]):
            best = ((s["price"], e["id"]), e["id"], s["name"])
    return {"event_id": best[1], "section": best[2]}
