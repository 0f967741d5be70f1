
def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    sections = tools.get_event(event_id={{EVENT}})["sections"]
    pref = next(s for s in sections if s["name"] == {{SECTION}})
    if pref["seats_left"] >= {{QTY}}:
        pick = pref
    else:
        ok = [s for s in sections if s["seats_left"] >= {{QTY}}]
        pick = min(ok, key=lambda s: (abs(s["price"] - pref["price"]), s["price"], s["name"]))
    order = tools.purchase_tickets(customer_id=cid, event_id={{EVENT}}, section=pick["name"],
                                   quantity={{QTY}})
    return {"order_id": order["id"]}
