from ..helpers import _malformed, _unexpected_change
from .move_params import DEST, QTY, SKU
from .verify_lib import _lanes, _stock


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes) or _malformed(answer, source="str", total_cost="number")
    if problem:
        return False, problem
    ids = {r["code"]: r["id"] for r in before.execute("SELECT id, code FROM warehouses")}
    dest, src = ids[DEST], ids.get(answer["source"])
    if src is None or src == dest:
        return False, "unknown or invalid source warehouse"
    stock, lanes = _stock(before, SKU), _lanes(before, dest)
    ok = [w for w in lanes if stock[w]["qty"] - QTY >= stock[w]["reorder_point"]]
    if src not in ok:
        return False, "the source would fall below its reorder point"
    if lanes[src]["cost_per_unit"] > min(lanes[w]["cost_per_unit"] for w in ok):
        return False, "a cheaper feasible source exists"
    if abs(answer["total_cost"] - QTY * lanes[src]["cost_per_unit"]) > 0.011:
        return False, "total_cost does not match the lane cost"
    return True, "cheapest feasible source"
