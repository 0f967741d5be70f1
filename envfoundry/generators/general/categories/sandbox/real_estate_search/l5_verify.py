from ..helpers import _ids
from .geo import _km, _minutes
from .l5_params import CLIENTS, MAX_MINUTES
from .verify_lib import _client, _only_holds, _pool, _suits


def _commute(cl, lst):
    return _minutes(cl["commute_mode"], _km(lst["lat"], lst["lon"], cl["work_lat"], cl["work_lon"]))


def verify(answer, db, before, changes):
    # ordered: the i-th id is the listing held for the i-th client
    ids = _ids(answer, "listing_ids", len(CLIENTS))
    if ids is None:
        return False, f"listing_ids must list {len(CLIENTS)} ids, one per client in order"
    clients = [_client(before, name) for name in CLIENTS]
    problem = _only_holds(changes, [(i, cl["id"]) for i, cl in zip(ids, clients, strict=True)])
    if problem:
        return False, problem
    for name, cl, lid in zip(CLIENTS, clients, ids, strict=True):
        # the shortest commute among the listings that were available before the episode
        ok = [
            (_commute(cl, r), r["monthly_rent"], r)
            for r in _pool(before)
            if _suits(cl, r) and _commute(cl, r) <= MAX_MINUTES
        ]
        pick = [o for o in ok if o[2]["id"] == lid]
        if not pick:
            return False, f"{name}: the listing breaks the brief or the commute limit"
        if pick[0][:2] > min(o[:2] for o in ok):
            return False, f"{name}: another listing has a shorter commute (or the same for less)"
    return True, "shortest-commute listings held"
