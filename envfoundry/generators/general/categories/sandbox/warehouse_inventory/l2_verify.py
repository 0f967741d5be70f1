from ..helpers import _malformed
from .move_params import DEST, QTY, SKU
from .verify_lib import _lanes, _stock


def verify(answer, db):
    if _malformed(answer, source="str", total_cost="number"):
        return False, "answer must be an object with 'source' (code) and 'total_cost' (number)"
    ids = {r["code"]: r["id"] for r in db.execute("SELECT id, code FROM warehouses")}
    dest, src = ids[DEST], ids.get(answer["source"])
    if src is None or src == dest:
        return False, "unknown or invalid source warehouse"
    stock, lanes = _stock(db, SKU), _lanes(db, dest)
    ok = [w for w in lanes if stock[w]["qty"] - QTY >= stock[w]["reorder_point"]]
    if src not in ok:
        return False, "the source would fall below its reorder point"
    if lanes[src]["cost_per_unit"] > min(lanes[w]["cost_per_unit"] for w in ok):
        return False, "a cheaper feasible source exists"
    if abs(answer["total_cost"] - QTY * lanes[src]["cost_per_unit"]) > 0.011:
        return False, "total_cost does not match the lane cost"
    return True, "cheapest feasible source"
