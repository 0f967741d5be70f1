from .move_params import QTY
from .source import _best


def _quote(tools, keep_floor):
    _, lane, code = _best(tools, keep_floor, 99)
    return {"source": code, "total_cost": round(QTY * lane["cost_per_unit"], 2)}
