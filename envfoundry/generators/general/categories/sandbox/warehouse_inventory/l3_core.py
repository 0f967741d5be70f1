from .move_params import QTY, SKU
from .solve_lib import _transfer
from .source import _best


def _move_stock(tools, max_lead):
    dest, lane, _ = _best(tools, True, max_lead)
    return {"transfer_id": _transfer(tools, SKU, lane["from_id"], dest, QTY)}
