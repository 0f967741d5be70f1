
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("warehouses"), list):
        return False, "answer must be an object with a list 'warehouses'"
    want = sorted(r["code"] for r in db.execute(
        "SELECT w.code FROM stock s JOIN warehouses w ON w.id = s.warehouse_id"
        " WHERE s.sku = ? AND s.qty < s.reorder_point", ({{SKU}},)))
    if answer["warehouses"] != want:
        return False, f"expected {want}, got {answer['warehouses']}"
    return True, "exact list of warehouses below their reorder point"
