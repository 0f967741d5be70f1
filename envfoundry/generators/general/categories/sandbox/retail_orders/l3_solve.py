
import datetime


def solve(tools):
    cid = tools.find_customer(name={{NAME}})["id"]
    listing = tools.list_orders(customer_id=cid)
    today = datetime.date.fromisoformat(listing["today"])
    ids = []
    for o in sorted(listing["orders"], key=lambda o: o["id"]):
        if o["status"] != "delivered":
            continue
        if (today - datetime.date.fromisoformat(o["delivered_date"])).days > 30:
            continue
        order = tools.get_order(order_id=o["id"])
        for item in order["items"]:
            if item["category"] != {{CATEGORY}}:
                continue
            done = sum(r["quantity"] for r in order["returns"] if r["sku"] == item["sku"])
            if item["quantity"] > done:
                r = tools.request_return(order_id=o["id"], sku=item["sku"],
                                         quantity=item["quantity"] - done, reason="defective")
                ids.append(r["return_id"])
    return {"return_ids": ids}
