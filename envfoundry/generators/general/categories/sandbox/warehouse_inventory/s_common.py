
def _ids(tools):
    return {w["code"]: w["id"] for w in tools.list_warehouses()}


def _surplus_plan(tools, sku, dest, need, floor):
    # cheapest-first: take from each source what it can spare above its floor
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku=sku)}
    plan = []
    for lane in sorted(tools.list_lanes(to_warehouse_id=dest), key=lambda l: (l["cost_per_unit"], l["from_id"])):
        if need <= 0:
            break
        src = lane["from_id"]
        spare = stock[src]["qty"] - floor(stock[src])
        take = min(spare, need)
        if take > 0:
            plan.append((src, take))
            need -= take
    return plan
