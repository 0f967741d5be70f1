from .l4_core import _options
from .solve_lib import _hold


def _walk(opts, chosen, total, best):
    """Depth-first over one listing per client in distinct neighborhoods, cheapest first,
    pruning totals no lower than the best so far (``best`` = [total, listings])."""
    if best and total >= best[0]:
        return
    if len(chosen) == len(opts):
        best[:] = [total, list(chosen)]
        return
    for r in sorted(opts[len(chosen)][1], key=lambda r: r["monthly_rent"]):
        if all(r["id"] != c["id"] and r["neighborhood"] != c["neighborhood"] for c in chosen):
            _walk(opts, [*chosen, r], total + r["monthly_rent"], best)


def solve(tools):
    opts = _options(tools)
    best: list = []
    _walk(opts, [], 0, best)
    return {"listing_ids": [_hold(tools, cl, r) for (cl, _), r in zip(opts, best[1], strict=True)]}
