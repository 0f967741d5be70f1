
import itertools


def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    options = []
    for e in tools.search_events(city={{CITY}}, date_from={{D1}}, date_to={{D2}}):
        s = _cheapest(tools, e["id"], {{QTY}})
        if s:
            options.append((e, s))
    best = None
    for combo in itertools.combinations(options, 3):
        if False:
            if len({e["date"] for e, _ in combo}) < 3 or len({e["venue_id"] for e, _ in combo}) < 3:
                continue
            if len({e["category"] for e, _ in combo}) < 3:
                continue
        cost = sum(s["price"] for _, s in combo) * {{QTY}}
        if best is None or cost < best[0]:
            best = (cost, combo)
    ids = []
    for e, s in best[1]:
        ids.append(tools.purchase_tickets(customer_id=cid, event_id=e["id"], section=s["name"],
                                          quantity={{QTY}})["id"])
    return {"order_ids": ids}
