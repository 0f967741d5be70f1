

def solve(tools):
    dest, lane, code = _best(tools, True, {{MAX_LEAD}})
    t = tools.create_transfer(sku={{SKU}}, from_warehouse_id=lane["from_id"], to_warehouse_id=dest, qty={{QTY}})
    return {"transfer_id": t["transfer_id"]}
