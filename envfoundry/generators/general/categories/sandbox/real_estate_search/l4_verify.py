from ..helpers import _ids, _within
from .l4_params import BUDGET, CLIENTS, RADIUS
from .verify_lib import _client, _near, _only_holds, _pool, _suits


def verify(answer, db, before, changes):
    # ordered: the i-th id is the listing held for the i-th client
    ids = _ids(answer, "listing_ids", len(CLIENTS))
    if ids is None:
        return False, f"listing_ids must list {len(CLIENTS)} ids, one per client in order"
    clients = [_client(before, name) for name in CLIENTS]
    problem = _only_holds(changes, [(i, cl["id"]) for i, cl in zip(ids, clients, strict=True)])
    if problem:
        return False, problem
    free = {r["id"]: r for r in _pool(before)}
    chosen = []
    for name, cl, lid in zip(CLIENTS, clients, ids, strict=True):
        lst = free.get(lid)
        if lst is None or not _suits(cl, lst) or not _near(before, lst, "metro", RADIUS):
            return False, f"{name}: listing {lid} breaks the brief or is not near a metro"
        chosen.append(lst)
    if len({c["neighborhood"] for c in chosen}) != 3:
        return False, "the three listings must be in three different neighborhoods"
    return _within(sum(c["monthly_rent"] for c in chosen), BUDGET, "three listings held")
