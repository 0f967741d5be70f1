from ..helpers import _exact
from .l1_params import SKU


def verify(answer, db):
    rows = db.execute(
        "SELECT w.code FROM stock s JOIN warehouses w ON w.id = s.warehouse_id"
        " WHERE s.sku = ? AND s.qty < s.reorder_point",
        (SKU,),
    )
    want = sorted(r["code"] for r in rows)
    return _exact(answer, "warehouses", want, "exact list of warehouses below their reorder point")
