
def solve(tools):
    # ignores the preferred section: cheapest section with enough seats
    cid = tools.find_customer(name={{NAME}})["id"]
    ok = [s for s in tools.get_event(event_id={{EVENT}})["sections"] if s["seats_left"] >= {{QTY}}]
    pick = min(ok, key=lambda s: (s["price"], s["name"]))
    order = tools.purchase_tickets(customer_id=cid, event_id={{EVENT}}, section=pick["name"],
                                   quantity={{QTY}})
    return {"order_id": order["id"]}
