from ..helpers import _the_one
from .l3_params import INITIAL, MAX_LEAD
from .move_params import DEST, QTY, SKU
from .verify_lib import _consistent, _lanes, _moves, _stock, _wh_id


def verify(answer, db):
    dest = _wh_id(db, DEST)
    t = _the_one(_moves(db, [SKU]), answer, "transfer_id")
    if t is None:
        return False, "exactly one transfer, the one answered, is expected"
    if t["to_id"] != dest or t["qty"] != QTY or not _consistent(db, SKU, INITIAL):
        return False, "wrong destination or quantity, or stock does not add up"
    stock, lanes = _stock(db, SKU), _lanes(db, dest)
    initial = {int(k): v for k, v in INITIAL.items()}
    ok = [
        w
        for w in lanes
        if initial[w] - QTY >= stock[w]["reorder_point"] and lanes[w]["lead_days"] <= MAX_LEAD
    ]
    if t["from_id"] not in ok:
        return False, "the source falls below its reorder point or its lane is too slow"
    if lanes[t["from_id"]]["cost_per_unit"] > min(lanes[w]["cost_per_unit"] for w in ok):
        return False, "a cheaper feasible source exists"
    return True, "cheapest feasible transfer made"
