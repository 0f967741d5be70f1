from .l4_params import DEST, SKUS, TARGETS
from .solve_lib import _surplus_plan, _transfer, _warehouse_ids


def _restock(tools, floor):
    """Bring each sku up to its target, taking from sources what they hold above ``floor``."""
    dest = _warehouse_ids(tools)[DEST]
    out = []
    for sku in SKUS:
        have = tools.get_stock(sku=sku, warehouse_id=dest)[0]["qty"]
        for src, qty in _surplus_plan(tools, sku, dest, TARGETS[sku] - have, floor):
            out.append(_transfer(tools, sku, src, dest, qty))
    return {"transfer_ids": out}
