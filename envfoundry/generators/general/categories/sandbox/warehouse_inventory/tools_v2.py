# Toolset v2 adds next week's demand forecast.
from ..helpers import _by_id, _dicts
from .tools_v1 import _sku


def get_demand_forecast(db, sku, warehouse_id=None):
    """Next week's forecast demand (warehouse_id, sku, week_start, qty) for a sku."""
    sku = _sku(db, sku)
    sql, args = "SELECT * FROM demand_forecast WHERE sku = ?", [sku]
    if warehouse_id is not None:
        _by_id(db, "warehouses", warehouse_id, "warehouse_id")
        sql, args = sql + " AND warehouse_id = ?", [sku, warehouse_id]
    return _dicts(db, sql + " ORDER BY warehouse_id", args)
