from ..helpers import _count_changes, _the_one
from .l3_params import MAX_LEAD
from .move_params import DEST, QTY, SKU
from .verify_lib import _lanes, _new_transfers, _stock, _transfers, _wh_id


def verify(answer, db, before, changes):
    dest = _wh_id(before, DEST)
    problem = _transfers(changes, before, sku=SKU, to_id=dest, qty=QTY)
    if problem:
        return False, problem
    if _count_changes(changes, "insert", "transfers") != 1:
        return False, "exactly one transfer is expected"
    t = _the_one(_new_transfers(db, before), answer, "transfer_id")
    if t is None:
        return False, "the answer must name the transfer made"
    # the choice of source is judged on the initial stock and lanes
    stock, lanes = _stock(before, SKU), _lanes(before, dest)
    ok = [
        w
        for w in lanes
        if stock[w]["qty"] - QTY >= stock[w]["reorder_point"] and lanes[w]["lead_days"] <= MAX_LEAD
    ]
    if t["from_id"] not in ok:
        return False, "the source falls below its reorder point or its lane is too slow"
    if lanes[t["from_id"]]["cost_per_unit"] > min(lanes[w]["cost_per_unit"] for w in ok):
        return False, "a cheaper feasible source exists"
    return True, "cheapest feasible transfer made"
