"""Solution helpers: warehouse ids by code, cheapest-first sourcing, transfers."""


def _warehouse_ids(tools):
    return {w["code"]: w["id"] for w in tools.list_warehouses()}


def _cheapest_first(lanes):
    return sorted(lanes, key=lambda lane: (lane["cost_per_unit"], lane["from_id"]))


def _surplus_plan(tools, sku, dest, need, floor):
    # cheapest-first: take from each source what it can spare above its floor
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku=sku)}
    plan = []
    for lane in _cheapest_first(tools.list_lanes(to_warehouse_id=dest)):
        if need <= 0:
            break
        src = lane["from_id"]
        take = min(stock[src]["qty"] - floor(stock[src]), need)
        if take > 0:
            plan.append((src, take))
            need -= take
    return plan


def _transfer(tools, sku, src, dest, qty):
    t = tools.create_transfer(sku=sku, from_warehouse_id=src, to_warehouse_id=dest, qty=qty)
    return t["transfer_id"]
