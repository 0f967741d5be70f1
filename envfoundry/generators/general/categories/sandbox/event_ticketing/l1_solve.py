from .l1_core import _buy_in
from .l1_params import QTY, SECTION


def _preferred(sections, ok):
    pref = next(s for s in sections if s["name"] == SECTION)
    if pref["seats_left"] >= QTY:
        return pref
    return min(ok, key=lambda s: (abs(s["price"] - pref["price"]), s["price"], s["name"]))


def solve(tools):
    return _buy_in(tools, _preferred)
