
def get_demand_forecast(db, sku, warehouse_id=None):
    """Next week's forecast demand (warehouse_id, sku, week_start, qty) for a sku."""
    _sku(db, sku)
    sql, args = "SELECT * FROM demand_forecast WHERE sku = ?", [sku]
    if warehouse_id is not None:
        _wh(db, warehouse_id)
        sql, args = sql + " AND warehouse_id = ?", [sku, warehouse_id]
    return [dict(r) for r in db.execute(sql + " ORDER BY warehouse_id", args)]
