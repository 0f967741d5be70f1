from .l5_core import _current, _rebook


def solve(tools):
    # never tries to extend; rebooks every rental with the cheapest free car of any class
    cust, current = _current(tools)
    return {"reservation_ids": [_rebook(tools, cust, res, None) for res in current]}
