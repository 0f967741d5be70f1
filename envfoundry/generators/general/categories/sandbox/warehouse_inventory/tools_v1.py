"""Warehouse inventory tools: warehouses, SKUs, stock levels, lanes and transfers."""


def _wh(db, warehouse_id, what="warehouse_id"):
    if not isinstance(warehouse_id, int) or isinstance(warehouse_id, bool):
        raise ValueError(f"{what} must be an integer")
    row = db.execute("SELECT * FROM warehouses WHERE id = ?", (warehouse_id,)).fetchone()
    if row is None:
        raise ValueError(f"no warehouse with id {warehouse_id}")
    return dict(row)


def _sku(db, sku):
    if not isinstance(sku, str) or db.execute("SELECT 1 FROM skus WHERE sku = ?", (sku,)).fetchone() is None:
        raise ValueError(f"unknown sku {sku!r}")
    return sku


def list_warehouses(db):
    """All warehouses: id, code, city, country."""
    return [dict(r) for r in db.execute("SELECT id, code, city, country FROM warehouses ORDER BY id")]


def list_skus(db, category=None):
    """Products (sku, name, category, unit_weight_kg), optionally of one category."""
    sql, args = "SELECT * FROM skus", []
    if category is not None:
        sql, args = sql + " WHERE category = ?", [category]
    return [dict(r) for r in db.execute(sql + " ORDER BY sku", args)]


def get_stock(db, sku=None, warehouse_id=None):
    """Stock rows (warehouse_id, warehouse code, sku, qty, reorder_point) for a sku, a
    warehouse, or both. At least one filter is required."""
    if sku is None and warehouse_id is None:
        raise ValueError("give sku, warehouse_id or both")
    sql = ("SELECT s.warehouse_id, w.code, s.sku, s.qty, s.reorder_point FROM stock s"
           " JOIN warehouses w ON w.id = s.warehouse_id WHERE 1 = 1")
    args = []
    if sku is not None:
        sql += " AND s.sku = ?"
        args.append(_sku(db, sku))
    if warehouse_id is not None:
        _wh(db, warehouse_id)
        sql += " AND s.warehouse_id = ?"
        args.append(warehouse_id)
    return [dict(r) for r in db.execute(sql + " ORDER BY s.warehouse_id, s.sku", args)]


def list_lanes(db, to_warehouse_id):
    """Inbound lanes of a warehouse: from_id, mode, distance_km, cost_per_unit, lead_days."""
    _wh(db, to_warehouse_id, "to_warehouse_id")
    return [dict(r) for r in db.execute(
        "SELECT from_id, to_id, mode, distance_km, cost_per_unit, lead_days FROM lanes"
        " WHERE to_id = ? ORDER BY from_id", (to_warehouse_id,))]


def create_transfer(db, sku, from_warehouse_id, to_warehouse_id, qty):
    """Move qty units of a sku between warehouses over their lane. Fails if the source does
    not hold qty units (stock never goes negative). Reorder points are not enforced."""
    _sku(db, sku)
    _wh(db, from_warehouse_id, "from_warehouse_id")
    _wh(db, to_warehouse_id, "to_warehouse_id")
    if from_warehouse_id == to_warehouse_id:
        raise ValueError("source and destination must differ")
    if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0:
        raise ValueError("qty must be a positive integer")
    have = db.execute("SELECT qty FROM stock WHERE warehouse_id = ? AND sku = ?",
                      (from_warehouse_id, sku)).fetchone()
    if have is None or have["qty"] < qty:
        raise ValueError(f"warehouse {from_warehouse_id} holds only {have['qty'] if have else 0} of {sku}")
    lane = db.execute("SELECT * FROM lanes WHERE from_id = ? AND to_id = ?",
                      (from_warehouse_id, to_warehouse_id)).fetchone()
    db.execute("UPDATE stock SET qty = qty - ? WHERE warehouse_id = ? AND sku = ?",
               (qty, from_warehouse_id, sku))
    db.execute("UPDATE stock SET qty = qty + ? WHERE warehouse_id = ? AND sku = ?",
               (qty, to_warehouse_id, sku))
    total = round(qty * lane["cost_per_unit"], 2)
    cur = db.execute(
        "INSERT INTO transfers (sku, from_id, to_id, qty, cost_per_unit, total_cost, lead_days)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (sku, from_warehouse_id, to_warehouse_id, qty, lane["cost_per_unit"], total, lane["lead_days"]))
    return {"transfer_id": cur.lastrowid, "total_cost": total, "lead_days": lane["lead_days"]}
