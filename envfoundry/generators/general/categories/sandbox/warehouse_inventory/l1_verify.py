from ..helpers import _unexpected_change, _verdict
from .l1_params import SKU
from .verify_lib import _same


def verify(answer, db, before, changes):
    problem = _unexpected_change(changes)  # a read-only task: nothing may change
    if problem:
        return False, problem
    rows = before.execute(
        "SELECT w.code FROM stock s JOIN warehouses w ON w.id = s.warehouse_id"
        " WHERE s.sku = ? AND s.qty < s.reorder_point",
        (SKU,),
    )
    problem = _same(answer, "warehouses", [r["code"] for r in rows], str)
    return _verdict(problem, "exact set of warehouses below their reorder point")
