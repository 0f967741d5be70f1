from .l5_params import SKU
from .solve_lib import _surplus_plan, _transfer


def _rebalance(tools, own_forecast):
    """Fill each short warehouse up to its forecast from the others, which keep their
    reorder point (and, with ``own_forecast``, their own forecast demand)."""
    fc = {r["warehouse_id"]: r["qty"] for r in tools.get_demand_forecast(sku=SKU)}
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku=SKU)}
    sinks = sorted(w for w in stock if fc.get(w, 0) > stock[w]["qty"])

    def floor(s):
        if s["warehouse_id"] in sinks:
            return s["qty"]
        return max(s["reorder_point"], fc.get(s["warehouse_id"], 0) if own_forecast else 0)

    out = []
    for sink in sinks:
        need = fc[sink] - tools.get_stock(sku=SKU, warehouse_id=sink)[0]["qty"]
        for src, qty in _surplus_plan(tools, SKU, sink, need, floor):
            out.append(_transfer(tools, SKU, src, sink, qty))
    return {"transfer_ids": out}
