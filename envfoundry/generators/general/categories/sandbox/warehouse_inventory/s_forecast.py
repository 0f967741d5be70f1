

def _rebalance(tools, own_forecast):
    fc = {r["warehouse_id"]: r["qty"] for r in tools.get_demand_forecast(sku={{SKU}})}
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku={{SKU}})}
    sinks = sorted(w for w in stock if fc.get(w, 0) > stock[w]["qty"])
    out = []
    for sink in sinks:
        need = fc[sink] - tools.get_stock(sku={{SKU}}, warehouse_id=sink)[0]["qty"]

        def floor(s):
            if s["warehouse_id"] in sinks:
                return s["qty"]
            return max(s["reorder_point"], fc.get(s["warehouse_id"], 0) if own_forecast else 0)

        for src, qty in _surplus_plan(tools, {{SKU}}, sink, need, floor):
            out.append(tools.create_transfer(sku={{SKU}}, from_warehouse_id=src, to_warehouse_id=sink, qty=qty)["transfer_id"])
    return {"transfer_ids": out}
