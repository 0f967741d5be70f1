from .l5_params import BUDGET, SKU
from .verify_lib import _cost_within, _new_transfers, _same, _stock, _transfers


def _flows(db, before, moves):
    """Why the transfers do not fill the short warehouses from the others, or ""."""
    rows = before.execute("SELECT * FROM demand_forecast WHERE sku = ?", (SKU,))
    fc = {r["warehouse_id"]: r["qty"] for r in rows}
    initial, stock = _stock(before, SKU), _stock(db, SKU)
    sinks = {w for w in initial if fc.get(w, 0) > initial[w]["qty"]}
    for w in sinks:
        if stock[w]["qty"] < fc[w]:
            return f"warehouse {w} is still short of its forecast"
    for t in moves:
        src = stock[t["from_id"]]
        if src["qty"] < max(src["reorder_point"], fc.get(t["from_id"], 0)):
            return f"source {t['from_id']} fell below its reorder point or its own forecast"
    return ""


def verify(answer, db, before, changes):
    rows = before.execute("SELECT * FROM demand_forecast WHERE sku = ?", (SKU,))
    fc = {r["warehouse_id"]: r["qty"] for r in rows}
    short = {w for w, s in _stock(before, SKU).items() if fc.get(w, 0) > s["qty"]}
    # the only writes: transfers of the sku from non-short to short warehouses
    problem = _transfers(changes, before, sku=SKU, to_id=short, from_id=lambda w: w not in short)
    if problem:
        return False, problem
    moves = _new_transfers(db, before)
    problem = _same(answer, "transfer_ids", [t["id"] for t in moves], int) or _flows(
        db, before, moves
    )
    return (False, problem) if problem else _cost_within(moves, BUDGET, "network rebalanced")
