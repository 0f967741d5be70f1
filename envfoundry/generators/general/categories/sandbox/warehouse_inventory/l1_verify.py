from ..helpers import _malformed
from .l1_params import SKU


def verify(answer, db):
    problem = _malformed(answer, warehouses="list")
    if problem:
        return False, problem
    rows = db.execute(
        "SELECT w.code FROM stock s JOIN warehouses w ON w.id = s.warehouse_id"
        " WHERE s.sku = ? AND s.qty < s.reorder_point",
        (SKU,),
    )
    want = sorted(r["code"] for r in rows)
    if answer["warehouses"] != want:
        return False, f"expected {want}, got {answer['warehouses']}"
    return True, "exact list of warehouses below their reorder point"
