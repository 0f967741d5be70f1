"""Levels 2 and 3: the cheapest lane into DEST whose source can give QTY units."""

from .move_params import DEST, QTY, SKU
from .solve_lib import _cheapest_first, _warehouse_ids


def _best(tools, keep_floor, max_lead):
    ids = _warehouse_ids(tools)
    dest = ids[DEST]
    stock = {r["warehouse_id"]: r for r in tools.get_stock(sku=SKU)}
    ok = []
    for lane in tools.list_lanes(to_warehouse_id=dest):
        s = stock[lane["from_id"]]
        floor = s["reorder_point"] if keep_floor else 0
        if s["qty"] - QTY >= floor and lane["lead_days"] <= max_lead:
            ok.append(lane)
    lane = _cheapest_first(ok)[0]
    code = next(c for c, i in ids.items() if i == lane["from_id"])
    return dest, lane, code
