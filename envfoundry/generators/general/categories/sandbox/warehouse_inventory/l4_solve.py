

def solve(tools):
    dest = _ids(tools)[{{DEST}}]
    out = []
    for sku in {{SKUS}}:
        have = tools.get_stock(sku=sku, warehouse_id=dest)[0]["qty"]
        for src, qty in _surplus_plan(tools, sku, dest, {{TARGETS}}[sku] - have, lambda s: s["reorder_point"]):
            out.append(tools.create_transfer(sku=sku, from_warehouse_id=src, to_warehouse_id=dest, qty=qty)["transfer_id"])
    return {"transfer_ids": out}
