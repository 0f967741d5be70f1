from ..helpers import _listed
from .l4_params import BUDGET, DEST, INITIAL, SKUS, TARGETS
from .verify_lib import _consistent, _cost_within, _moves, _stock, _wh_id


def _sku_problem(db, sku, dest, moves):
    if not _consistent(db, sku, INITIAL[sku]):
        return f"{sku} stock does not add up"
    stock = _stock(db, sku)
    if stock[dest]["qty"] < TARGETS[sku]:
        return f"{sku} at the destination is below its target"
    for t in moves:
        src = stock[t["from_id"]]
        if t["sku"] == sku and src["qty"] < src["reorder_point"]:
            return f"a source of {sku} fell below its reorder point"
    return ""


def verify(answer, db):
    dest = _wh_id(db, DEST)
    moves = _moves(db, SKUS)
    problem = _listed(answer, transfer_ids=[t["id"] for t in moves])
    if problem:
        return False, problem
    if any(t["to_id"] != dest for t in moves):
        return False, "every transfer must go to the destination"
    for sku in SKUS:
        problem = _sku_problem(db, sku, dest, moves)
        if problem:
            return False, problem
    return _cost_within(moves, BUDGET, "restocked")
