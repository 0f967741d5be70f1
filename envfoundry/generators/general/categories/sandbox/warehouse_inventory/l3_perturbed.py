

def solve(tools):
    # forgets the lead-time limit
    dest, lane, code = _best(tools, True, 99)
    t = tools.create_transfer(sku={{SKU}}, from_warehouse_id=lane["from_id"], to_warehouse_id=dest, qty={{QTY}})
    return {"transfer_id": t["transfer_id"]}
