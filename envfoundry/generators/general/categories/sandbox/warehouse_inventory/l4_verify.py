from .l4_params import BUDGET, DEST, SKUS, TARGETS
from .verify_lib import _cost_within, _new_transfers, _same, _stock, _transfers, _wh_id


def _sku_problem(db, sku, dest, moves):
    stock = _stock(db, sku)
    if stock[dest]["qty"] < TARGETS[sku]:
        return f"{sku} at the destination is below its target"
    for t in moves:
        src = stock[t["from_id"]]
        if t["sku"] == sku and src["qty"] < src["reorder_point"]:
            return f"a source of {sku} fell below its reorder point"
    return ""


def verify(answer, db, before, changes):
    dest = _wh_id(before, DEST)
    # the only writes: transfers of the two skus into the destination, and their stock moves
    problem = _transfers(changes, before, sku=set(SKUS), to_id=dest)
    if problem:
        return False, problem
    moves = _new_transfers(db, before)
    problem = _same(answer, "transfer_ids", [t["id"] for t in moves], int)
    if problem:
        return False, problem
    for sku in SKUS:
        problem = _sku_problem(db, sku, dest, moves)
        if problem:
            return False, problem
    return _cost_within(moves, BUDGET, "restocked")
