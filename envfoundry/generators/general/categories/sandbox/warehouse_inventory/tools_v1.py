"""Warehouse inventory tools: warehouses, SKUs, stock levels, lanes and transfers."""

from ..helpers import _by_id, _canon, _dicts, _insert, _is_int, _known

_STOCK = (
    "SELECT s.warehouse_id, w.code, s.sku, s.qty, s.reorder_point FROM stock s"
    " JOIN warehouses w ON w.id = s.warehouse_id WHERE 1 = 1"
)


def _sku(db, sku):
    sku = _canon(db, "skus", "sku", sku, "sku") if isinstance(sku, str) else sku
    if not _known(db, "skus", "sku", sku):
        raise ValueError(f"unknown sku {sku!r}")
    return sku


def list_warehouses(db):
    """All warehouses: id, code, city, country."""
    return _dicts(db, "SELECT id, code, city, country FROM warehouses ORDER BY id")


def list_skus(db, category=None):
    """Products (sku, name, category, unit_weight_kg), optionally of one category."""
    if category is None:
        return _dicts(db, "SELECT * FROM skus ORDER BY sku")
    category = _canon(db, "skus", "category", category, "category")
    return _dicts(db, "SELECT * FROM skus WHERE category = ? ORDER BY sku", (category,))


def get_stock(db, sku=None, warehouse_id=None):
    """Stock rows (warehouse_id, warehouse code, sku, qty, reorder_point) for a sku, a
    warehouse, or both. At least one filter is required."""
    if sku is None and warehouse_id is None:
        raise ValueError("give sku, warehouse_id or both")
    sql, args = _STOCK, []
    if sku is not None:
        sql += " AND s.sku = ?"
        args.append(_sku(db, sku))
    if warehouse_id is not None:
        _by_id(db, "warehouses", warehouse_id, "warehouse_id")
        sql += " AND s.warehouse_id = ?"
        args.append(warehouse_id)
    return _dicts(db, sql + " ORDER BY s.warehouse_id, s.sku", args)


def list_lanes(db, to_warehouse_id):
    """Inbound lanes of a warehouse: from_id, mode, distance_km, cost_per_unit, lead_days."""
    _by_id(db, "warehouses", to_warehouse_id, "to_warehouse_id")
    return _dicts(
        db,
        "SELECT from_id, to_id, mode, distance_km, cost_per_unit, lead_days FROM lanes"
        " WHERE to_id = ? ORDER BY from_id",
        (to_warehouse_id,),
    )


def _move(db, sku, from_id, to_id, qty):
    for wid, delta in ((from_id, -qty), (to_id, qty)):
        db.execute(
            "UPDATE stock SET qty = qty + ? WHERE warehouse_id = ? AND sku = ?", (delta, wid, sku)
        )


def create_transfer(db, sku, from_warehouse_id, to_warehouse_id, qty):
    """Move qty units of a sku between warehouses over their lane. Fails if the source does
    not hold qty units (stock never goes negative). Reorder points are not enforced."""
    sku = _sku(db, sku)
    _by_id(db, "warehouses", from_warehouse_id, "from_warehouse_id")
    _by_id(db, "warehouses", to_warehouse_id, "to_warehouse_id")
    if from_warehouse_id == to_warehouse_id:
        raise ValueError("source and destination must differ")
    if not _is_int(qty) or qty <= 0:
        raise ValueError("qty must be a positive integer")
    have = db.execute(
        "SELECT qty FROM stock WHERE warehouse_id = ? AND sku = ?", (from_warehouse_id, sku)
    ).fetchone()
    if have is None or have["qty"] < qty:
        held = have["qty"] if have else 0
        raise ValueError(f"warehouse {from_warehouse_id} holds only {held} of {sku}")
    lane = db.execute(
        "SELECT * FROM lanes WHERE from_id = ? AND to_id = ?", (from_warehouse_id, to_warehouse_id)
    ).fetchone()
    _move(db, sku, from_warehouse_id, to_warehouse_id, qty)
    total = round(qty * lane["cost_per_unit"], 2)
    transfer = _insert(
        db,
        "transfers",
        sku=sku,
        from_id=from_warehouse_id,
        to_id=to_warehouse_id,
        qty=qty,
        cost_per_unit=lane["cost_per_unit"],
        total_cost=total,
        lead_days=lane["lead_days"],
    )
    return {"transfer_id": transfer, "total_cost": total, "lead_days": lane["lead_days"]}
