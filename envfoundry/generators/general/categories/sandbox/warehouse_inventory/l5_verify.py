from ..helpers import _listed
from .l5_params import BUDGET, INITIAL, SKU
from .verify_lib import _consistent, _cost_within, _moves, _stock


def _flows(db, moves):
    """Why the transfers do not fill the short warehouses from the others, or ""."""
    initial = {int(k): v for k, v in INITIAL.items()}
    rows = db.execute("SELECT * FROM demand_forecast WHERE sku = ?", (SKU,))
    fc = {r["warehouse_id"]: r["qty"] for r in rows}
    stock = _stock(db, SKU)
    sinks = {w for w in initial if fc.get(w, 0) > initial[w]}
    for w in sinks:
        if stock[w]["qty"] < fc[w]:
            return f"warehouse {w} is still short of its forecast"
    for t in moves:
        src = stock[t["from_id"]]
        if t["from_id"] in sinks or t["to_id"] not in sinks:
            return "transfers must go from non-short warehouses to short ones"
        if src["qty"] < max(src["reorder_point"], fc.get(t["from_id"], 0)):
            return f"source {t['from_id']} fell below its reorder point or its own forecast"
    return ""


def verify(answer, db):
    moves = _moves(db, [SKU])
    problem = _listed(answer, transfer_ids=[t["id"] for t in moves])
    if not problem and not _consistent(db, SKU, INITIAL):
        problem = "stock does not add up"
    problem = problem or _flows(db, moves)
    return (False, problem) if problem else _cost_within(moves, BUDGET, "network rebalanced")
