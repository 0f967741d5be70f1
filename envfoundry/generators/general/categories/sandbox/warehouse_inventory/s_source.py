

def _best(tools, keep_floor, max_lead):
    ids = _ids(tools)
    dest = ids[{{DEST}}]
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku={{SKU}})}
    ok = []
    for lane in tools.list_lanes(to_warehouse_id=dest):
        s = stock[lane["from_id"]]
        floor = s["reorder_point"] if keep_floor else 0
        if s["qty"] - {{QTY}} >= floor and lane["lead_days"] <= max_lead:
            ok.append(lane)
    lane = min(ok, key=lambda l: (l["cost_per_unit"], l["from_id"]))
    code = [c for c, i in ids.items() if i == lane["from_id"]][0]
    return dest, lane, code
