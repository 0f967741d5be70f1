

def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    for e in tools.search_events(city={{CITY}}, category={{CATEGORY}}, date_from={{D1}}):
        s = _cheapest(tools, e["id"], {{QTY}}, {{CAP}})
        if s:
            order = tools.purchase_tickets(customer_id=cid, event_id=e["id"], section=s["name"],
                                           quantity={{QTY}})
            return {"order_id": order["id"]}
